import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A software passkey for tests: a P-256 key pair that answers registration and authentication
 * ceremonies the way a browser plus authenticator would, with "none" attestation. Origin, rpId
 * and the signature counter can be overridden, so tests can forge the responses a phishing site
 * or a cloned authenticator would produce.
 */
const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export interface CeremonyOverrides {
  origin: string;
  /** Defaults to the rpId in the options. */
  rpId?: string;
}

export class SoftAuthenticator {
  readonly credentialId = new Uint8Array(randomBytes(32));
  private readonly privateKey: KeyObject;
  private readonly cosePublicKey: Uint8Array<ArrayBuffer>;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    this.privateKey = privateKey;
    // COSE_Key for ES256 (RFC 9053): kty EC2, alg -7, crv P-256, x, y.
    this.cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, isoBase64URL.toBuffer(jwk.x!)],
        [-3, isoBase64URL.toBuffer(jwk.y!)],
      ]),
    );
  }

  get id(): string {
    return isoBase64URL.fromBuffer(this.credentialId);
  }

  createRegistrationResponse(options: PublicKeyCredentialCreationOptionsJSON, { origin, rpId = options.rp.id ?? "localhost" }: CeremonyOverrides): RegistrationResponseJSON {
    const clientDataJSON = clientData("webauthn.create", options.challenge, origin);
    const credIdLength = Buffer.alloc(2);
    credIdLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([rpIdHash(rpId), Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]), counterBytes(0), Buffer.alloc(16), credIdLength, this.credentialId, this.cosePublicKey]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: { clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON), attestationObject: isoBase64URL.fromBuffer(attestationObject), transports: ["internal"] },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  createAuthenticationResponse(options: PublicKeyCredentialRequestOptionsJSON, { origin, rpId = options.rpId ?? "localhost", counter }: CeremonyOverrides & { counter: number }): AuthenticationResponseJSON {
    const clientDataJSON = clientData("webauthn.get", options.challenge, origin);
    const authData = Buffer.concat([rpIdHash(rpId), Buffer.from([FLAG_UP | FLAG_UV]), counterBytes(counter)]);
    const signed = Buffer.concat([authData, createHash("sha256").update(clientDataJSON).digest()]);
    const signature = sign("sha256", signed, { key: this.privateKey, dsaEncoding: "der" });
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
        authenticatorData: isoBase64URL.fromBuffer(new Uint8Array(authData)),
        signature: isoBase64URL.fromBuffer(new Uint8Array(signature)),
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }
}

function clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function rpIdHash(rpId: string): Buffer {
  return createHash("sha256").update(rpId).digest();
}

function counterBytes(counter: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(counter);
  return out;
}
