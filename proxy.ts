import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_ID_HEADER } from "@/lib/core/request-meta";
import { answerUnservedApiRequest } from "@/lib/http/api-routes";
import { acceptFrontHeaders } from "@/lib/http/front-secret";
import { createNonce, PROTO_HEADER, securityHeaders } from "@/lib/http/security-headers";

/**
 * Runs before every route and page. First, the headers only our HTTP front may set (client
 * address, scheme, path, request id) are dropped unless the request carries the front's secret
 * (lib/http/front-secret.ts), so nothing after this line can read a client's forgery. Then
 * /api requests for a path or method no route serves get a problem+json 404 or 405 here. Every
 * response gets the security headers, with a fresh CSP nonce: Next reads the nonce from the
 * request-side Content-Security-Policy and puts it on its own scripts, so the policy is set on
 * the forwarded request as well as on the response.
 */
export function proxy(request: NextRequest) {
  const requestHeaders = new Headers(request.headers);
  acceptFrontHeaders(requestHeaders);
  const nonce = createNonce();
  const headers = securityHeaders({
    nonce,
    // Set by our HTTP front (scripts/lib/trusted-headers.ts) and vouched for above.
    https: requestHeaders.get(PROTO_HEADER) === "https",
    dev: process.env.NODE_ENV !== "production",
  });
  const unserved = answerUnservedApiRequest(request.nextUrl.pathname, request.method, requestHeaders.get(REQUEST_ID_HEADER)!);
  if (unserved) {
    for (const [name, value] of Object.entries(headers)) unserved.headers.set(name, value);
    return unserved;
  }
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
