import { openSecret, sealSecret } from "@/lib/mfa/secret-box";
import type { SsoConnectionRow } from "../load-connection";
import { makeSpKeyPair } from "./make-sp-certificate";

export type SpKeyUse = "signing" | "encryption";

/*
 * Each SAML connection has two key pairs of its own, one to sign AuthnRequests and one the IdP
 * encrypts assertions to: a key compromised at one connection (or one use) says nothing about
 * another. The private keys are sealed like the OIDC client secret (lib/mfa/secret-box.ts), with
 * the connection id *and the use* as associated data, so a key copied onto another connection, or
 * from the signing column into the encryption one, does not open.
 */
const ownerOf = (connectionId: string, use: SpKeyUse) => `${connectionId}:saml-${use}`;

export interface SpKeyColumns {
  spSigningKeySealed: string;
  spSigningCertificate: string;
  spEncryptionKeySealed: string;
  spEncryptionCertificate: string;
}

/** Both key pairs of a new connection, sealed, ready for its row. */
export async function makeSpKeys(connectionId: string): Promise<SpKeyColumns> {
  const [signing, encryption] = await Promise.all([makeSpKeyPair(`Countersign SP signing ${connectionId}`), makeSpKeyPair(`Countersign SP encryption ${connectionId}`)]);
  return {
    spSigningKeySealed: sealSecret(signing.privateKeyPem, ownerOf(connectionId, "signing")),
    spSigningCertificate: signing.certificate,
    spEncryptionKeySealed: sealSecret(encryption.privateKeyPem, ownerOf(connectionId, "encryption")),
    spEncryptionCertificate: encryption.certificate,
  };
}

/** The connection's private key for `use` (PEM), or null for a connection made before SP keys existed. */
export function openSpKey(connection: SsoConnectionRow, use: SpKeyUse): string | null {
  const sealed = use === "signing" ? connection.spSigningKeySealed : connection.spEncryptionKeySealed;
  return sealed ? openSecret(sealed, ownerOf(connection.id, use)) : null;
}

/** The certificate for `use` as PEM, as node-saml takes it for the SP metadata. */
export function spCertificatePem(connection: SsoConnectionRow, use: SpKeyUse): string | null {
  const base64 = use === "signing" ? connection.spSigningCertificate : connection.spEncryptionCertificate;
  return base64 ? `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----` : null;
}
