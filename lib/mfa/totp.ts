import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// RFC 6238 TOTP on node:crypto. No replay tracking here: the caller stores the last accepted
// step and only accepts a larger one (that is what makes a code work once).

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const DEFAULT_PERIOD = 30;
const CODE_DIGITS = 6;

export type TotpAlgorithm = "sha1" | "sha256" | "sha512";

/** 160 bits from the CSPRNG (the HMAC-SHA1 block-size recommendation of RFC 4226), as base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** RFC 4648 base32, upper-case, no padding (authenticator apps accept it as is). */
export function base32Encode(buf: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 as people type it: any case, spaces and `=` ignored. Throws on other characters. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, "").toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`Invalid base32 character: ${JSON.stringify(char)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(bytes);
}

/** The HOTP value (RFC 4226 dynamic truncation) for one time step, zero-padded to `digits`. */
export function totpCode(
  secret: Buffer,
  step: number,
  opts: { digits?: number; algorithm?: TotpAlgorithm } = {},
): string {
  const digits = opts.digits ?? CODE_DIGITS;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac(opts.algorithm ?? "sha1", secret).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The time step at `at`; a number is epoch milliseconds, like `Date.now()`. */
export function timeStep(at: Date | number, period = DEFAULT_PERIOD): number {
  const ms = typeof at === "number" ? at : at.getTime();
  return Math.floor(ms / 1000 / period);
}

/**
 * The step among current-window..current+window whose code equals `code`, or null. Every
 * candidate is compared in constant time and none is skipped, so timing says nothing about which
 * step (if any) matched.
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date, window = 1): number | null {
  const typed = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(typed)) return null;
  const secret = base32Decode(secretBase32);
  const typedBytes = Buffer.from(typed);
  const current = timeStep(at);
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(totpCode(secret, step)), typedBytes);
    if (equal && matched === null) matched = step;
  }
  return matched;
}

/** The otpauth:// key URI that authenticator apps scan (Google Authenticator key URI format). */
export function totpUri({ secret, accountName, issuer }: { secret: string; accountName: string; issuer: string }): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const query = [
    `secret=${encodeURIComponent(secret)}`,
    `issuer=${encodeURIComponent(issuer)}`,
    "algorithm=SHA1",
    `digits=${CODE_DIGITS}`,
    `period=${DEFAULT_PERIOD}`,
  ].join("&");
  return `otpauth://totp/${label}?${query}`;
}
