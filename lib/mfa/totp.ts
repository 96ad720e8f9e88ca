import { HOTP, Secret, TOTP } from "otpauth";

// RFC 6238 TOTP through the `otpauth` package (its HOTP truncation, base32 and constant-time
// comparison). No replay tracking here: the caller stores the last accepted step and only
// accepts a larger one (that is what makes a code work once). The functions below keep the
// shapes callers and tests already use.

const PERIOD = 30;
const CODE_DIGITS = 6;

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";

/** 160 bits from the CSPRNG (the HMAC-SHA1 block-size recommendation of RFC 4226), as base32. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** RFC 4648 base32, upper-case, no padding (authenticator apps accept it as is). */
export function base32Encode(buf: Uint8Array): string {
  return new Secret({ buffer: Uint8Array.from(buf).buffer }).base32;
}

/** Decodes base32 as people type it: any case, spaces and trailing `=` ignored. Throws on other characters. */
export function base32Decode(text: string): Buffer {
  try {
    return Buffer.from(Secret.fromBase32(text.replace(/\s/g, "")).bytes);
  } catch {
    throw new Error("Invalid base32: only the letters A–Z and the digits 2–7 are allowed.");
  }
}

/** The HOTP value (RFC 4226 dynamic truncation) for one time step, zero-padded to `digits`. */
export function totpCode(secret: Buffer, step: number, opts: { digits?: number; algorithm?: TotpAlgorithm } = {}): string {
  return HOTP.generate({ secret: toSecret(secret), counter: step, digits: opts.digits ?? CODE_DIGITS, algorithm: (opts.algorithm ?? "sha1").toUpperCase() });
}

/** The time step at `at`; a number is epoch milliseconds, like `Date.now()`. */
export function timeStep(at: Date | number, period = PERIOD): number {
  return TOTP.counter({ period, timestamp: typeof at === "number" ? at : at.getTime() });
}

/**
 * The step among current-window..current+window whose code equals `code`, or null. The library
 * compares in constant time; a step before the epoch is never accepted.
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date, window = 1): number | null {
  const typed = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(typed)) return null;
  const current = timeStep(at);
  const delta = TOTP.validate({ token: typed, secret: toSecret(base32Decode(secretBase32)), digits: CODE_DIGITS, period: PERIOD, timestamp: at.getTime(), window });
  if (delta === null || current + delta < 0) return null;
  return current + delta;
}

/** The otpauth:// key URI that authenticator apps scan (Google Authenticator key URI format). */
export function totpUri({ secret, accountName, issuer }: { secret: string; accountName: string; issuer: string }): string {
  return new TOTP({ issuer, label: accountName, secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: CODE_DIGITS, period: PERIOD }).toString();
}

function toSecret(bytes: Uint8Array): Secret {
  return new Secret({ buffer: Uint8Array.from(bytes).buffer });
}
