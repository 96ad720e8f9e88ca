import { randomUUID } from "node:crypto";
import type { RequestMeta } from "./context";

/**
 * Headers set by our own HTTP server (scripts/serve.ts) from the socket. The server strips any
 * client-sent copy first, so these cannot be spoofed from outside.
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
