import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import * as explainRoute from "@/app/api/v1/access/explain/route";
import * as auditEvents from "@/app/api/v1/audit/events/route";
import * as auditExport from "@/app/api/v1/audit/export/route";
import * as auditVerify from "@/app/api/v1/audit/verify/route";
import * as branchItem from "@/app/api/v1/branches/[id]/route";
import * as branchList from "@/app/api/v1/branches/route";
import * as grantItem from "@/app/api/v1/grants/[id]/route";
import * as grantList from "@/app/api/v1/grants/route";
import * as orderItem from "@/app/api/v1/orders/[id]/route";
import * as orderList from "@/app/api/v1/orders/route";
import * as roleItem from "@/app/api/v1/roles/[id]/route";
import * as roleList from "@/app/api/v1/roles/route";
import { buildWorld, callRoute, type World } from "./isolation-world";

/**
 * The isolation table: every tenant-facing route, each with its "wrong org", "wrong branch",
 * "too little permission" and (where it can apply) "self-escalation" case. Documented answers:
 * another org's or an invisible branch's target is 404, exactly like a missing one; a visible
 * target the caller may not change is 403; a list simply never contains what is out of scope.
 * A route file that is not in this table fails the completeness test below.
 */
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Probe = (w: World) => Promise<{ status: number; body?: unknown }>;
interface RouteCase {
  file: string;
  method: string;
  wrongOrg: Probe | "n/a";
  wrongBranch: Probe | "n/a";
  tooLittle: Probe | "n/a";
  selfEscalation?: Probe;
  expect: { wrongOrg?: number; wrongBranch?: number; tooLittle?: number; selfEscalation?: number };
}

const h = (fn: unknown) => fn as Handler;
async function answer(res: Response) {
  const text = await res.text();
  const json = /json/.test(res.headers.get("content-type") ?? "") && !/ndjson/.test(res.headers.get("content-type") ?? "");
  return { status: res.status, body: json ? JSON.parse(text) : text };
}
/** For lists: 200, and none of the foreign ids anywhere in the answer. */
const listExcludes = (res: { status: number; body?: unknown }, ...ids: string[]) => ({ status: res.status === 200 && !ids.some((id) => JSON.stringify(res.body).includes(id)) ? 200 : 599 });

const table: RouteCase[] = [
  {
    file: "app/api/v1/orders/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(orderList.GET), w.a.tokens.admin, "GET", "/api/v1/orders?limit=200")), w.b.orders.chicago.id, w.b.orders.berlin.id),
    wrongBranch: async (w) => listExcludes(await answer(await callRoute(h(orderList.GET), w.a.tokens.viewer, "GET", "/api/v1/orders?limit=200")), w.a.orders.berlin.id),
    tooLittle: async (w) => listExcludes(await answer(await callRoute(h(orderList.GET), w.a.tokens.nobody, "GET", "/api/v1/orders")), w.a.orders.chicago.id, w.a.orders.berlin.id),
    expect: { wrongOrg: 200, wrongBranch: 200, tooLittle: 200 },
  },
  {
    file: "app/api/v1/orders/[id]/route.ts",
    method: "GET",
    wrongOrg: async (w) => answer(await callRoute(h(orderItem.GET), w.a.tokens.admin, "GET", "/api/v1/orders/x", { params: { id: w.b.orders.chicago.id } })),
    wrongBranch: async (w) => answer(await callRoute(h(orderItem.GET), w.a.tokens.viewer, "GET", "/api/v1/orders/x", { params: { id: w.a.orders.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(orderItem.GET), w.a.tokens.nobody, "GET", "/api/v1/orders/x", { params: { id: w.a.orders.chicago.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404 },
  },
  {
    file: "app/api/v1/branches/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(branchList.POST), w.a.tokens.admin, "POST", "/api/v1/branches", { body: { name: "Smuggled", parentId: w.b.branches.na.id } })),
    // The keeper manages branches in North America only: EMEA is invisible to them.
    wrongBranch: async (w) => answer(await callRoute(h(branchList.POST), w.a.tokens.keeper, "POST", "/api/v1/branches", { body: { name: "Smuggled", parentId: w.a.branches.emea.id } })),
    tooLittle: async (w) => answer(await callRoute(h(branchList.POST), w.a.tokens.manager, "POST", "/api/v1/branches", { body: { name: "Nope", parentId: w.a.branches.na.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403 },
  },
  {
    file: "app/api/v1/branches/[id]/route.ts",
    method: "PATCH",
    wrongOrg: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/branches/x", { params: { id: w.b.branches.chicago.id }, body: { name: "Taken" } })),
    wrongBranch: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.keeper, "PATCH", "/api/v1/branches/x", { params: { id: w.a.branches.berlin.id }, body: { name: "Renamed" } })),
    tooLittle: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.manager, "PATCH", "/api/v1/branches/x", { params: { id: w.a.branches.chicago.id }, body: { name: "Renamed" } })),
    // Toronto under Chicago would put it under the keeper's Approver grant there.
    selfEscalation: async (w) => answer(await callRoute(h(branchItem.PATCH), w.a.tokens.keeper, "PATCH", "/api/v1/branches/x", { params: { id: w.a.branches.toronto.id }, body: { parentId: w.a.branches.chicago.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/roles/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(roleList.POST), w.a.tokens.admin, "POST", "/api/v1/roles", { body: { name: "Borrowed", inherits: [w.b.roles.admin] } })),
    wrongBranch: "n/a", // roles belong to the whole org
    tooLittle: async (w) => answer(await callRoute(h(roleList.POST), w.a.tokens.manager, "POST", "/api/v1/roles", { body: { name: "Mine" } })),
    expect: { wrongOrg: 422, tooLittle: 403 },
  },
  {
    file: "app/api/v1/roles/[id]/route.ts",
    method: "PATCH",
    wrongOrg: async (w) => answer(await callRoute(h(roleItem.PATCH), w.a.tokens.admin, "PATCH", "/api/v1/roles/x", { params: { id: w.b.roles.viewer }, body: { name: "Hijacked", permissions: [] } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(roleItem.PATCH), w.a.tokens.manager, "PATCH", "/api/v1/roles/x", { params: { id: w.a.roles.viewer }, body: { name: "Viewer", permissions: ["audit:read"] } })),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    file: "app/api/v1/roles/[id]/route.ts",
    method: "DELETE",
    wrongOrg: async (w) => answer(await callRoute(h(roleItem.DELETE), w.a.tokens.admin, "DELETE", "/api/v1/roles/x?grants=revoke", { params: { id: w.b.roles.nothing } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(roleItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/roles/x?grants=revoke", { params: { id: w.a.roles.nothing } })),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  {
    file: "app/api/v1/grants/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.admin, "POST", "/api/v1/grants", { body: { membershipId: w.b.members.viewer.membershipId, roleId: w.a.roles.viewer } })),
    wrongBranch: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.manager, "POST", "/api/v1/grants", { body: { membershipId: w.a.members.viewer.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.viewer, "POST", "/api/v1/grants", { body: { membershipId: w.a.members.nobody.membershipId, roleId: w.a.roles.viewer, branchId: w.a.branches.chicago.id } })),
    selfEscalation: async (w) => answer(await callRoute(h(grantList.POST), w.a.tokens.manager, "POST", "/api/v1/grants", { body: { membershipId: w.a.members.manager.membershipId, roleId: w.a.roles.buyer, branchId: w.a.branches.na.id } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/grants/[id]/route.ts",
    method: "DELETE",
    wrongOrg: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.admin, "DELETE", "/api/v1/grants/x", { params: { id: w.b.grants.viewer } })),
    wrongBranch: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/grants/x", { params: { id: w.a.grants.berliner } })),
    tooLittle: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.viewer, "DELETE", "/api/v1/grants/x", { params: { id: w.a.grants.viewer } })),
    selfEscalation: async (w) => answer(await callRoute(h(grantItem.DELETE), w.a.tokens.manager, "DELETE", "/api/v1/grants/x", { params: { id: w.a.grants.manager } })),
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/access/explain/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(explainRoute.POST), w.a.tokens.admin, "POST", "/api/v1/access/explain", { body: { membershipId: w.b.members.viewer.membershipId, permission: "orders:read" } })),
    wrongBranch: async (w) => answer(await callRoute(h(explainRoute.POST), w.a.tokens.manager, "POST", "/api/v1/access/explain", { body: { membershipId: w.a.members.berliner.membershipId, permission: "orders:read", branchId: w.a.branches.berlin.id } })),
    tooLittle: async (w) => answer(await callRoute(h(explainRoute.POST), w.a.tokens.viewer, "POST", "/api/v1/access/explain", { body: { membershipId: w.a.members.manager.membershipId, permission: "orders:read" } })),
    // A member the caller may not read is not revealed: 404, whatever the reason.
    expect: { wrongOrg: 404, wrongBranch: 404, tooLittle: 404 },
  },
  {
    file: "app/api/v1/audit/events/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(auditEvents.GET), w.a.tokens.admin, "GET", `/api/v1/audit/events?limit=200`)), w.b.org.id, w.b.orders.chicago.id),
    wrongBranch: "n/a", // audit:read is org-wide in the templates; branch-scoped readers are covered in audit-read-scope.test.ts
    tooLittle: async (w) => answer(await callRoute(h(auditEvents.GET), w.a.tokens.manager, "GET", "/api/v1/audit/events")),
    expect: { wrongOrg: 200, tooLittle: 403 },
  },
  {
    file: "app/api/v1/audit/verify/route.ts",
    method: "GET",
    wrongOrg: "n/a", // verifies the token's own org; there is no org parameter to point elsewhere
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(auditVerify.GET), w.a.tokens.manager, "GET", "/api/v1/audit/verify")),
    expect: { tooLittle: 403 },
  },
  {
    file: "app/api/v1/audit/export/route.ts",
    method: "GET",
    wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(auditExport.GET), w.a.tokens.admin, "GET", "/api/v1/audit/export?format=jsonl")), w.b.org.id, w.b.orders.chicago.id),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(auditExport.GET), w.a.tokens.viewer, "GET", "/api/v1/audit/export?format=csv")),
    expect: { wrongOrg: 200, tooLittle: 403 },
  },
];

// Routes with no tenant data behind them, or covered by another suite: each with the reason.
const coveredElsewhere = new Map([
  ["app/api/health/route.ts GET", "database status and version only"],
  ["app/api/v1/openapi.json/route.ts GET", "the API description"],
  ["app/api/v1/audit/public-key/route.ts GET", "a public key, published on purpose"],
  ["app/api/auth/[...nextauth]/route.ts GET", "next-auth's own endpoints (CSRF, session, sign-in)"],
  ["app/api/auth/[...nextauth]/route.ts POST", "next-auth's own endpoints (CSRF, session, sign-in)"],
  // Session-cookie routes cannot be called without Next's request context; the browser tests
  // cover them, and they share their checks with the API route above.
  ["app/orgs/[org]/audit/export/route.ts GET", "dashboard export: e2e/audit.spec.ts (buyer gets 403); same requireAuditReader + streamAuditExport as /api/v1/audit/export"],
  ["app/account/security/enroll/confirm/route.ts POST", "the person's own account, no org: e2e/secure-sign-in.spec.ts (enrollment; a forged cross-origin POST gets 403); the command is tests/integration/mfa-totp.test.ts"],
]);

function listRouteMethods(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") {
        const text = readFileSync(full, "utf8");
        for (const m of text.matchAll(/export\s+(?:const|async\s+function)\s+(GET|POST|PUT|PATCH|DELETE)\b|export\s+const\s+\{\s*([A-Z, ]+)\s*\}/g)) {
          for (const method of (m[1] ?? m[2] ?? "").split(",").map((s) => s.trim()).filter(Boolean)) out.push(`${full.split(path.sep).join("/")} ${method}`);
        }
      }
    }
  };
  walk("app");
  return out.sort();
}

describe("isolation table: every route, wrong org, wrong branch, too little permission, self-escalation", () => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld();
  }, 120_000);

  it("every route handler is in the table or listed as public, with a reason", () => {
    const covered = new Set([...table.map((c) => `${c.file} ${c.method}`), ...coveredElsewhere.keys()]);
    expect(listRouteMethods().filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const c of table) {
    for (const kind of ["wrongOrg", "wrongBranch", "tooLittle", "selfEscalation"] as const) {
      const probe = c[kind];
      if (!probe || probe === "n/a") continue;
      it(`${c.method} ${c.file.replace(/^app|\/route\.ts$/g, "")}: ${kind} answers ${c.expect[kind]}`, async () => {
        const result = await probe(world);
        expect(result.status, JSON.stringify(result.body ?? "")).toBe(c.expect[kind]);
      });
    }
  }
});
