import { createHmac, timingSafeEqual } from "node:crypto";
import { hashSecret } from "@/lib/identity/secrets";
import { openSecret } from "@/lib/mfa/secret-box";
import type { AcceptingChannel } from "./find-accepting-channel";

/**
 * The bearer token against the channel's stored SHA-256, compared in constant time (both sides
 * are 64 hex characters, so the lengths never differ).
 */
export function bearerMatches(channel: AcceptingChannel, token: string | null): boolean {
  if (!token) return false;
  const given = Buffer.from(hashSecret(token));
  const stored = Buffer.from(channel.tokenHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/**
 * Shopify's X-Shopify-Hmac-Sha256: base64 of HMAC-SHA256 over the raw body with the shared
 * secret. Compared as bytes in constant time; a header that is not 32 bytes of base64 fails.
 */
export function shopifyHmacMatches(channel: AcceptingChannel, body: Uint8Array, header: string | null): boolean {
  if (!header || !channel.secretSealed) return false;
  const given = Buffer.from(header.trim(), "base64");
  const expected = createHmac("sha256", openSecret(channel.secretSealed, channel.id)).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
