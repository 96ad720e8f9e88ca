// Server code only: Next fails the build of any client bundle that imports this (see packages/server-only).
import "server-only";
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

let cached: { source: string; key: SigningKey | null } | undefined;

/**
 * The Ed25519 key that signs checkpoints: AUDIT_SIGNING_KEY (PKCS#8 PEM) or the file named by
 * AUDIT_SIGNING_KEY_FILE (the launcher generates one into the data dir). Null when neither is
 * set: events are still chained, only the signed checkpoints are missing.
 */
export function loadSigningKey(): SigningKey | null {
  const source = process.env.AUDIT_SIGNING_KEY ?? (process.env.AUDIT_SIGNING_KEY_FILE ? `file:${process.env.AUDIT_SIGNING_KEY_FILE}` : "");
  if (cached?.source === source) return cached.key;
  let key: SigningKey | null = null;
  if (source) {
    const pem = source.startsWith("file:") ? readFileSync(source.slice(5), "utf8") : source;
    const privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyType !== "ed25519") throw new Error("AUDIT_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM).");
    const publicKey = createPublicKey(privateKey);
    key = { privateKey, publicKey, keyId: keyIdOf(publicKey) };
  }
  cached = { source, key };
  return key;
}

/** First 16 hex digits of the SHA-256 of the public key (SPKI DER). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex").slice(0, 16);
}

export function signMessage(key: SigningKey, message: string): string {
  return sign(null, Buffer.from(message), key.privateKey).toString("base64");
}

export function verifyMessage(publicKey: KeyObject, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message), publicKey, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

export function publicKeyPem(): { keyId: string; pem: string } | null {
  const key = loadSigningKey();
  return key ? { keyId: key.keyId, pem: key.publicKey.export({ type: "spki", format: "pem" }).toString() } : null;
}

/**
 * The key checkpoints are checked with: AUDIT_PUBLIC_KEY (SPKI PEM, for an outside verifier who
 * holds only the published key), else the public half of the signing key.
 */
export function loadVerificationKey(): { key: KeyObject; keyId: string } | null {
  if (process.env.AUDIT_PUBLIC_KEY) {
    const key = createPublicKey(process.env.AUDIT_PUBLIC_KEY);
    return { key, keyId: keyIdOf(key) };
  }
  const signing = loadSigningKey();
  return signing ? { key: signing.publicKey, keyId: signing.keyId } : null;
}
