// Server code only: Next fails the build of any client bundle that imports this (see packages/server-only).
import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

/**
 * TOTP secrets are encrypted at rest (AES-256-GCM), so a copy of the database alone (a backup, a
 * read-only injection) does not hand over everyone's second factor. The key lives outside the
 * database: MFA_ENCRYPTION_KEY (32 bytes, base64) or the file named by MFA_ENCRYPTION_KEY_FILE;
 * `npm start` generates one into the data dir. The owner's user id is bound in as associated
 * data, so a sealed secret copied onto another user's row does not open.
 */
const VERSION = "v1";

export class MfaKeyError extends Error {}

let cached: { source: string; key: Buffer } | null = null;

function loadKey(): Buffer {
  const file = process.env.MFA_ENCRYPTION_KEY_FILE;
  const source = process.env.MFA_ENCRYPTION_KEY ? `env:${process.env.MFA_ENCRYPTION_KEY}` : file ? `file:${file}` : "";
  if (cached?.source === source) return cached.key;
  if (!source) throw new MfaKeyError("MFA_ENCRYPTION_KEY (or MFA_ENCRYPTION_KEY_FILE) is not set: TOTP secrets are encrypted at rest. `npm start` generates one into the data dir.");
  const raw = process.env.MFA_ENCRYPTION_KEY ?? readFileSync(file!, "utf8");
  const key = Buffer.from(raw.trim(), "base64");
  if (key.length !== 32) throw new MfaKeyError("MFA_ENCRYPTION_KEY must be 32 random bytes, base64-encoded (for example `openssl rand -base64 32`).");
  cached = { source, key };
  return key;
}

/** A fresh key, base64-encoded, for the launcher and tests. */
export function generateMfaEncryptionKey(): string {
  return randomBytes(32).toString("base64");
}

export function sealSecret(secret: string, ownerId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", loadKey(), iv);
  cipher.setAAD(Buffer.from(ownerId));
  const body = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(":");
}

/** The secret, or an error when the value was not sealed for this owner with this key. */
export function openSecret(sealed: string, ownerId: string): string {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new MfaKeyError("A stored TOTP secret is not in the sealed format.");
  const decipher = createDecipheriv("aes-256-gcm", loadKey(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(ownerId));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new MfaKeyError("A stored TOTP secret does not open with MFA_ENCRYPTION_KEY: the key was changed, or the row was tampered with.");
  }
}
