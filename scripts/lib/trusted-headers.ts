import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { resolveClientIp, type TrustedProxies } from "@/lib/core/client-ip";
import { PEER_IP_HEADER, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "@/lib/core/request-meta";

/**
 * Sets the headers the app trusts, overwriting any client-sent copies: the client's address (the
 * socket's peer, or X-Forwarded-For as far as TRUSTED_PROXIES vouch for it), the path asked for
 * and a fresh request id, which is returned.
 */
export function applyTrustedHeaders(req: IncomingMessage, trusted: TrustedProxies): string {
  req.headers[PEER_IP_HEADER] = resolveClientIp(req.socket.remoteAddress ?? "unknown", headerText(req.headers["x-forwarded-for"]), trusted);
  req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
  const requestId = randomUUID();
  req.headers[REQUEST_ID_HEADER] = requestId;
  return requestId;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}
