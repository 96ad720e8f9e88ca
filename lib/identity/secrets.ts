import { createHash, randomBytes } from "node:crypto";

/** 256 bits from the CSPRNG, base64url. Used for session ids and API tokens. */
export function generateSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Stored form of a high-entropy secret: a plain SHA-256 is enough (no brute force possible). */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
