import { describe, expect, it } from "vitest";
import { buildContentSecurityPolicy, createNonce, securityHeaders } from "@/lib/http/security-headers";

/** The directives of a policy by name, each with its source list. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
}

describe("Headers: a Content-Security-Policy with nonces (no unsafe-inline scripts), HSTS when served over HTTPS, frame-ancestors 'none', Referrer-Policy, X-Content-Type-Options", () => {
  const nonce = createNonce();

  it("scripts run only with this response's nonce: no 'unsafe-inline', no 'unsafe-eval' in production", () => {
    const policy = directives(buildContentSecurityPolicy(nonce, { dev: false }));
    expect(policy.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    // Next's dev server needs eval; only there.
    expect(directives(buildContentSecurityPolicy(nonce, { dev: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(directives(buildContentSecurityPolicy(nonce, { dev: true })).get("script-src")).not.toContain("'unsafe-inline'");
  });

  it("frame-ancestors 'none' and X-Frame-Options DENY: no page can be framed", () => {
    const headers = securityHeaders({ nonce, https: false, dev: false });
    expect(directives(headers["Content-Security-Policy"]!).get("frame-ancestors")).toEqual(["'none'"]);
    expect(headers["X-Frame-Options"]).toBe("DENY");
  });

  it("nonces are 16 random bytes, base64, fresh each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });

  it("HSTS and upgrade-insecure-requests only over HTTPS", () => {
    const overHttps = securityHeaders({ nonce, https: true, dev: false });
    expect(overHttps["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
    expect(directives(overHttps["Content-Security-Policy"]!).has("upgrade-insecure-requests")).toBe(true);
    const overHttp = securityHeaders({ nonce, https: false, dev: false });
    expect(overHttp).not.toHaveProperty("Strict-Transport-Security");
    expect(directives(overHttp["Content-Security-Policy"]!).has("upgrade-insecure-requests")).toBe(false);
  });

  it("Referrer-Policy no-referrer, X-Content-Type-Options nosniff, and the rest", () => {
    const headers = securityHeaders({ nonce, https: false, dev: true });
    expect(headers["Referrer-Policy"]).toBe("no-referrer");
    expect(headers["X-Content-Type-Options"]).toBe("nosniff");
    expect(headers["Cross-Origin-Opener-Policy"]).toBe("same-origin");
    expect(headers["Permissions-Policy"]).toContain("camera=()");
    expect(headers["Permissions-Policy"]).toContain("publickey-credentials-get=(self)");
  });
});
