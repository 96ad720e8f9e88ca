import { randomBytes } from "node:crypto";
import { expect, test, type APIResponse } from "@playwright/test";
import { openDemoDb } from "./support/demo-db";
import { signInViaApi } from "./support/sign-in";

/**
 * The bad-input classes that never reach a route handler, against the real built app behind the
 * launcher's front: Next's router throws on a path whose escapes do not decode (a plain-text 500
 * before proxy.ts runs), unserved methods get Next's bare 405, and next-auth's own endpoints
 * cannot be called outside a real request. tests/integration/bad-input-probe.test.ts covers the
 * rest route by route.
 */
async function expectProblem(response: APIResponse, status: number) {
  expect(response.status(), response.url()).toBe(status);
  expect(response.headers()["content-type"]).toBe("application/problem+json");
  const body = (await response.json()) as { status: number; requestId: string };
  expect(body.status).toBe(status);
  expect(body.requestId).toBe(response.headers()["x-request-id"]);
  return body;
}

test.describe("No input reaches a 5xx: NUL bytes, lone surrogates, __proto__/constructor keys, dates outside the range that PostgreSQL and JavaScript hold, malformed percent-encoding, forged cursors", () => {
  test("a path whose percent-escapes do not decode is a problem+json 404 under /api and a plain 404 elsewhere, never a 500", async ({ request }) => {
    for (const path of ["/api/v1/orders/%zz", "/api/v1/orders/%ED%A0%80", "/api/v1/roles/%E0%A4%A", "/api/auth/%zz"]) await expectProblem(await request.get(path), 404);
    const page = await request.get("/orgs/%zz/orders");
    expect(page.status()).toBe(404);
    expect(page.headers()["content-type"]).toContain("text/plain");
  });

  test("a method a route does not serve is a problem+json 405 with Allow; an /api path nothing serves is a problem+json 404", async ({ request }) => {
    const cases: Array<[string, string, string]> = [
      ["DELETE", "/api/v1/orders", "GET, HEAD, OPTIONS, POST"],
      ["PUT", "/api/health", "GET, HEAD, OPTIONS"],
      ["POST", "/api/v1/audit/verify", "GET, HEAD, OPTIONS"],
      ["GET", "/api/v1/grants", "OPTIONS, POST"],
      ["PUT", "/api/v1/roles/6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10", "OPTIONS, DELETE, PATCH"],
      ["PATCH", "/api/auth/session", "GET, HEAD, OPTIONS, POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await request.fetch(path, { method });
      await expectProblem(response, 405);
      expect(response.headers()["allow"], `${method} ${path}`).toBe(allow);
      expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    }
    await expectProblem(await request.get("/api/v1/nothing-here"), 404);
  });

  test("next-auth's endpoints and the API answer bad input without a 5xx", async ({ request }) => {
    const csrf = (await (await request.get("/api/auth/csrf?__proto__=1&constructor=2")).json()) as { csrfToken: string };
    const answers = [
      await request.get("/api/auth/session?x=%00"),
      await request.get("/api/auth/providers?toString=1"),
      await request.post("/api/auth/callback/credentials", { form: { csrfToken: csrf.csrfToken, email: "a\u0000@example.test", password: "x\u0000y" }, maxRedirects: 0 }),
      await request.post("/api/auth/callback/credentials", { data: '{"__proto__": {"admin": true}}', headers: { "content-type": "application/json" }, maxRedirects: 0 }),
      await request.get("/api/v1/orders?q=%00", { headers: { authorization: "Bearer cs_notarealtoken" } }),
      await request.get("/api/v1/audit/export?format=jsonl&from=0000-01-01", { headers: { authorization: "Bearer cs_notarealtoken" } }),
    ];
    for (const answer of answers) expect(answer.status(), answer.url()).toBeLessThan(500);
  });

  test("dashboard paths holding NUL or an Object.prototype name are not found, never a 500 or a page", async ({ context }) => {
    await signInViaApi(context, "buyer@acme.test");
    for (const path of ["/orgs/%00/orders", "/orgs/acme%00/orders", "/orgs/acme/constructor", "/orgs/acme/__proto__", "/orgs/acme/toString", "/orgs/%00/audit/export?format=csv"]) {
      const response = await context.request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(404);
    }
  });

  test("a client's own x-countersign-peer-ip never reaches the audit trail behind the launcher's front", async ({ request }) => {
    const prefix = `cs_${randomBytes(5).toString("hex").slice(0, 7)}`;
    const response = await request.get("/api/v1/orders", { headers: { authorization: `Bearer ${prefix}rest-of-a-guess`, "x-countersign-peer-ip": "198.51.100.66", "x-countersign-front": "guess" } });
    expect(response.status()).toBe(401);
    const sql = openDemoDb();
    try {
      const rows = await sql<{ ip: string | null }[]>`select ip from audit_events where action = 'auth.api-token.rejected' and metadata->>'prefix' = ${prefix}`;
      expect(rows).toEqual([{ ip: "127.0.0.1" }]);
    } finally {
      await sql.end();
    }
  });
});
