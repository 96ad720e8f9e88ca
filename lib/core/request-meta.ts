import { randomUUID } from "node:crypto";
import type { RequestMeta } from "./context";

/**
 * Headers set by our own HTTP front (scripts/lib/serve-http.ts via trusted-headers.ts): the
 * client IP (the socket's peer, or X-Forwarded-For through TRUSTED_PROXIES only), a request id
 * and the requested path. Client-sent copies are overwritten, so they cannot be spoofed.
 */
export const PEER_IP_HEADER = "x-countersign-peer-ip";
export const REQUEST_ID_HEADER = "x-request-id";
/** The path and query the browser asked for, so a sign-in redirect can come back to it. */
export const REQUEST_PATH_HEADER = "x-countersign-path";

interface HeaderBag {
  get(name: string): string | null;
}

export function readRequestMeta(headers: HeaderBag): RequestMeta {
  return {
    ip: headers.get(PEER_IP_HEADER),
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: headers.get(REQUEST_ID_HEADER) ?? randomUUID(),
  };
}

export function systemMeta(label = "system"): RequestMeta {
  return { ip: null, userAgent: label, requestId: randomUUID() };
}
