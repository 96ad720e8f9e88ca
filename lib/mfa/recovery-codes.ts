import { createHash, randomBytes } from "node:crypto";

// Crockford's base32 alphabet in lower case: no i, l, o or u, so a code read aloud or copied
// from paper has no look-alike characters.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const GROUPS = 4;
const GROUP_LENGTH = 5;

/** `count` codes of 20 characters (100 bits from the CSPRNG each), as `xxxxx-xxxxx-xxxxx-xxxxx`. */
export function generateRecoveryCodes(count = 10): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(generateRecoveryCode());
  return [...codes];
}

function generateRecoveryCode(): string {
  // Each byte masked to 5 bits is uniform over the 32 symbols (256 is a multiple of 32).
  const chars = [...randomBytes(GROUPS * GROUP_LENGTH)].map((b) => ALPHABET[b & 31]!).join("");
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i++) groups.push(chars.slice(i * GROUP_LENGTH, (i + 1) * GROUP_LENGTH));
  return groups.join("-");
}

/** The canonical form of a typed code: lower case, no spaces or dashes, look-alikes mapped (Crockford). */
export function normalizeRecoveryCode(input: string): string {
  return input
    .toLowerCase()
    .replace(/[\s-]/g, "")
    .replace(/o/g, "0")
    .replace(/[il]/g, "1");
}

/**
 * Stored form of a recovery code. A plain SHA-256 is enough: with 100 bits of entropy per code,
 * guessing from a leaked hash is out of reach, so a slow password hash would add nothing.
 */
export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(normalizeRecoveryCode(code)).digest("hex");
}
