import { NextResponse, type NextRequest } from "next/server";
import { createNonce, PROTO_HEADER, securityHeaders } from "@/lib/http/security-headers";

/**
 * Security headers on every response, with a fresh CSP nonce per request. Next reads the nonce
 * from the request-side Content-Security-Policy and puts it on its own scripts, so the policy is
 * set on the forwarded request as well as on the response.
 */
export function proxy(request: NextRequest) {
  const nonce = createNonce();
  const headers = securityHeaders({
    nonce,
    // Set by our HTTP front (scripts/lib/trusted-headers.ts), never taken from the client.
    https: request.headers.get(PROTO_HEADER) === "https",
    dev: process.env.NODE_ENV !== "production",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Static assets are the same bytes for everyone and run no inline code: they need no nonce.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
