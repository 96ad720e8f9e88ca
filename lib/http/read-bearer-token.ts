/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or null for none or another scheme. */
export function readBearerToken(headers: Headers): string | null {
  const match = headers.get("authorization")?.match(/^Bearer +(\S+) *$/i);
  return match?.[1] ?? null;
}
