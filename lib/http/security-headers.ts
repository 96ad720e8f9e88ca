/**
 * The security headers every response carries (set by proxy.ts). The CSP allows only scripts that
 * carry this request's nonce, and scripts those scripts load ('strict-dynamic'), so an injected
 * <script> or inline event handler does not run.
 */

/**
 * "https" or "http": how the request reached us, as our HTTP front decided (the TLS socket, or
 * X-Forwarded-Proto from a trusted proxy only). Any client-sent copy is overwritten there.
 */
export const PROTO_HEADER = "x-countersign-proto";

/** Two years, the HSTS preload list's minimum is one. */
const HSTS_MAX_AGE_SECONDS = 63_072_000;

/** A fresh nonce for one response: 16 random bytes, base64. Web Crypto, so it runs in any runtime. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function buildContentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    // Next's dev server evaluates code for its error overlay and fast refresh; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Styles only: React renders style attributes, which a nonce cannot cover. Scripts stay
    // nonce-only, so this opens no way to run code.
    "style-src 'self' 'unsafe-inline'",
    // QR codes for two-factor enrolment are data: SVG images.
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders({ nonce, https, dev }: { nonce: string; https: boolean; dev: boolean }): Record<string, string> {
  const csp = buildContentSecurityPolicy(nonce, { dev });
  return {
    "Content-Security-Policy": https ? `${csp}; upgrade-insecure-requests` : csp,
    "X-Content-Type-Options": "nosniff",
    // Reset and invitation links carry their token in the URL: never send it on in a Referer.
    "Referrer-Policy": "no-referrer",
    // For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), publickey-credentials-get=(self), publickey-credentials-create=(self)",
    "Cross-Origin-Opener-Policy": "same-origin",
    // Only over HTTPS: browsers ignore it on plain HTTP, and sending it there would claim a
    // promise (this host answers on TLS) that a plain-HTTP deployment may not keep.
    ...(https ? { "Strict-Transport-Security": `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains` } : {}),
  };
}
