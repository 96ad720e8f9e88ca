import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import { resolveClientIp, type TrustedProxies } from "@/lib/core/client-ip";
import { PEER_IP_HEADER, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "@/lib/core/request-meta";
import { FRONT_SECRET_ENV, FRONT_SECRET_HEADER } from "@/lib/http/front-secret";
import { PROTO_HEADER } from "@/lib/http/security-headers";

/**
 * Makes this process's front secret (32 random bytes) and hands it to the app through the
 * environment; serveHttp calls it before Next starts. Each start makes a new one, so a value
 * inherited from the environment, or seen in an earlier run, never vouches for anything.
 */
export function createFrontSecret(): string {
  const secret = randomBytes(32).toString("hex");
  process.env[FRONT_SECRET_ENV] = secret;
  return secret;
}

/**
 * Sets the headers the app trusts, overwriting any client-sent copies: the client's address (the
 * socket's peer, or X-Forwarded-For as far as TRUSTED_PROXIES vouch for it), the scheme (for
 * HSTS), the path asked for and a fresh request id, which is returned. The front's secret goes
 * with them; proxy.ts drops all of them from any request without it.
 */
export function applyTrustedHeaders(req: IncomingMessage, trusted: TrustedProxies): string {
  req.headers[PEER_IP_HEADER] = resolveClientIp(req.socket.remoteAddress ?? "unknown", headerText(req.headers["x-forwarded-for"]), trusted);
  req.headers[PROTO_HEADER] = resolveProto(req, trusted);
  req.headers[REQUEST_PATH_HEADER] = req.url ?? "/";
  const requestId = randomUUID();
  req.headers[REQUEST_ID_HEADER] = requestId;
  req.headers[FRONT_SECRET_HEADER] = process.env[FRONT_SECRET_ENV] || createFrontSecret();
  return requestId;
}

/**
 * "https" when the socket is TLS, or when a trusted proxy says so in X-Forwarded-Proto (its first
 * entry, the scheme the client used, as Express reads it); "http" otherwise. Anyone else's
 * X-Forwarded-Proto is ignored, like their X-Forwarded-For.
 */
export function resolveProto(req: IncomingMessage, trusted: TrustedProxies): "https" | "http" {
  if ((req.socket as TLSSocket).encrypted) return "https";
  const forwarded = headerText(req.headers["x-forwarded-proto"]);
  if (!forwarded || !trusted.isTrusted(req.socket.remoteAddress ?? "")) return "http";
  return forwarded.split(",")[0]!.trim().toLowerCase() === "https" ? "https" : "http";
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}
