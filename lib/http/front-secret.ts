import { PEER_IP_HEADER, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "@/lib/core/request-meta";
import { PROTO_HEADER } from "./security-headers";

/*
 * The headers the app trusts (client address, scheme, path, request id) are only true when our
 * HTTP front (scripts/lib/serve-http.ts) set them. Under `next start`, or behind any other
 * server, a client could send them itself: forge the audit trail's addresses and step out of
 * the per-address throttles. So the front also sends a secret that it made at start and handed
 * to the app in the same process, and proxy.ts drops the trusted headers from every request
 * that does not carry it, before anything reads them.
 */

/** The header the front vouches with. Removed by proxy.ts before the request goes on. */
export const FRONT_SECRET_HEADER = "x-countersign-front";
/** Where the front puts its per-process secret for the app (set before Next starts). */
export const FRONT_SECRET_ENV = "COUNTERSIGN_FRONT_SECRET";
/** The headers only the front may set. */
export const FRONT_HEADERS = [PEER_IP_HEADER, PROTO_HEADER, REQUEST_PATH_HEADER, REQUEST_ID_HEADER] as const;

/**
 * Keeps the front's headers when the request carries the front's secret, and removes them
 * otherwise (a fresh request id replaces the client's). The secret header itself is always
 * removed. Returns whether the front vouched for the request.
 */
export function acceptFrontHeaders(headers: Headers, secret: string | undefined = process.env[FRONT_SECRET_ENV]): boolean {
  const presented = headers.get(FRONT_SECRET_HEADER);
  headers.delete(FRONT_SECRET_HEADER);
  const vouched = Boolean(secret) && presented !== null && constantTimeEqual(presented, secret!);
  if (vouched) return true;
  for (const name of FRONT_HEADERS) headers.delete(name);
  headers.set(REQUEST_ID_HEADER, crypto.randomUUID());
  return false;
}

// The secret's length is not secret (it is always the front's 64 hex digits); its content is
// compared without an early exit, so the time taken says nothing about how much of it matched.
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
