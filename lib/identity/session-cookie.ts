/**
 * The session cookie: `__Host-` prefixed, Secure, HttpOnly, SameSite=Lax, path "/", no Domain, so
 * no subdomain or plain-http page can set or read it. Browsers only accept `__Host-` with Secure,
 * and a Secure cookie is not sent back over plain http, so on plain-http localhost (the embedded
 * default) the cookie drops both and is named without the prefix.
 */
export interface SessionCookie {
  name: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean };
}

export const SECURE_SESSION_COOKIE = "__Host-countersign.session";
export const LOCAL_SESSION_COOKIE = "countersign.session";

/** Set by our HTTP front from the socket (or a trusted proxy's X-Forwarded-Proto). */
export { PROTO_HEADER } from "@/lib/http/security-headers";

export function isLoopbackHost(host: string | null | undefined): boolean {
  const name = (host ?? "").replace(/:\d+$/, "").replace(/^\[|\]$/g, "").toLowerCase();
  return name === "localhost" || name.endsWith(".localhost") || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** Secure everywhere except a plain-http request to a loopback host. */
export function sessionCookieFor(proto: string | null | undefined, host: string | null | undefined): SessionCookie {
  const secure = proto === "https" || !isLoopbackHost(host);
  return { name: secure ? SECURE_SESSION_COOKIE : LOCAL_SESSION_COOKIE, options: { httpOnly: true, sameSite: "lax", path: "/", secure } };
}
