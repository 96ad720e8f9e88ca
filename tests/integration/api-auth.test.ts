import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as getOrderRoute } from "@/app/api/v1/orders/[id]/route";
import { GET as listOrdersRoute } from "@/app/api/v1/orders/route";
import { apiTokens, auditEvents } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { REQUEST_ID_HEADER } from "@/lib/core/request-meta";
import { problemSchema } from "@/lib/http/schemas";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { makeMember, makeOrg, meta } from "../support/factories";
import { operatorDb } from "../support/as-operator";

const someId = "6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10";

// Table-driven over every authenticated route, so a new route added here gets every case.
const routes = [
  { name: "GET /api/v1/orders", call: (headers: HeadersInit) => listOrdersRoute(new Request("http://localhost/api/v1/orders", { headers })) },
  {
    name: "GET /api/v1/orders/{id}",
    call: (headers: HeadersInit) => getOrderRoute(new Request(`http://localhost/api/v1/orders/${someId}`, { headers }), { params: Promise.resolve({ id: someId }) }),
  },
];

async function expectUnauthorized(response: Response, challenge: RegExp) {
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.headers.get("www-authenticate")).toMatch(challenge);
  const body = problemSchema.strict().parse(await response.json());
  expect(body).toMatchObject({ type: "about:blank", title: "Unauthorized", status: 401 });
  expect(body.errors).toBeUndefined();
  return body;
}

describe.each(routes)("$name authentication", ({ call }) => {
  it("answers 401 problem+json with a Bearer challenge when no token is sent", async () => {
    await expectUnauthorized(await call({}), /^Bearer realm="countersign"$/);
    await expectUnauthorized(await call({ authorization: "Basic dXNlcjpwYXNz" }), /^Bearer realm="countersign"$/);
  });

  it("answers 401 with error=invalid_token for an unknown token", async () => {
    for (const token of ["cs_not-a-real-token-at-all", "x".repeat(500)]) {
      await expectUnauthorized(await call({ authorization: `Bearer ${token}` }), /^Bearer .*error="invalid_token"/);
    }
  });
});

describe("API tokens", () => {
  it("a revoked token gets exactly the answer an unknown one gets", async () => {
    const org = await makeOrg();
    const member = await makeMember(org.operator, { roleName: "Admin" });
    const issued = await runCommand(createApiTokenCommand, org.operator, meta, { email: member.email });
    expect((await routes[0]!.call({ authorization: `Bearer ${issued.token}` })).status).toBe(200);

    // No revoke command exists yet; the column is what resolveApiToken checks.
    await operatorDb().update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, issued.id));
    const revoked = await expectUnauthorized(await routes[0]!.call({ authorization: `Bearer ${issued.token}` }), /invalid_token/);
    const unknown = await expectUnauthorized(await routes[0]!.call({ authorization: "Bearer cs_unknown" }), /invalid_token/);
    expect(revoked.detail).toBe(unknown.detail);
  });

  it("records a refused token in the audit trail with its public prefix only", async () => {
    const requestId = crypto.randomUUID();
    const token = "cs_ABCDEFGsecretpartthatmustnotbelogged";
    await routes[0]!.call({ authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: requestId });
    const rows = await operatorDb().select().from(auditEvents).where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, "auth.api-token.rejected")));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "denied", orgId: null, metadata: { prefix: "cs_ABCDEFG" } });
    expect(JSON.stringify(rows[0])).not.toContain("secretpart");
  });

  it("puts the request id in every problem, so a report can be matched to the log", async () => {
    const response = await routes[0]!.call({ [REQUEST_ID_HEADER]: "req-123" });
    expect((await response.json()).requestId).toBe("req-123");
  });
});
