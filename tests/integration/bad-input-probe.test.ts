import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { createMemberCommand } from "@/lib/identity/create-member";
import { createRoleCommand } from "@/lib/roles/create-role";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { getDb } from "@/db/client";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { createOrderCommand } from "@/lib/orders/create-order";
import { issueInvoiceCommand } from "@/lib/invoices/issue-invoice";
import { createDelegationCommand } from "@/lib/approvals/create-delegation";
import { makeBranch, makeMember, makeOrder, makeOrg, meta, unique } from "../support/factories";
import { makeProduct, makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

/**
 * The bad-input probe: every REST route file under app/api (found from the file tree, so a new
 * route is probed without being listed), every method it exports, against every class of bad
 * input that used to reach a 500 or a cut-off stream. For each answer: no 5xx, every 4xx is
 * problem+json, a 422 names the field that was bad, a stream is read to its end, and nothing
 * was logged as an unexpected error. Malformed percent-encoding and unserved methods never reach
 * a handler (Next's router and proxy.ts answer first): tests/integration/http-front.test.ts and
 * api-methods.test.ts probe those over HTTP and through the proxy.
 */
const CHECKLIST = "No input reaches a 5xx: NUL bytes, lone surrogates, __proto__/constructor keys, dates outside the range that PostgreSQL and JavaScript hold, malformed percent-encoding, forged cursors. Streams validate before the first byte";

// Handlers that only run inside Next's request scope (next/headers); probed over HTTP instead.
const needsNextScope = new Map([["app/api/auth/[...nextauth]/route.ts", "next-auth's own endpoints read next/headers: probed over HTTP in e2e/bad-input.spec.ts"]]);

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function listRouteFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === "route.ts") out.push(full.split(path.sep).join("/"));
    }
  };
  walk("app/api");
  return out.sort();
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const SOME_UUID = "6f1c1c1e-8a43-4d6b-9a55-0c8f3b1f2a10";

interface World {
  token: string;
  /** For the supplier's routes (accounts, catalog writes): a supplier Admin's token. */
  supplierToken: string;
  orgId: string;
  ids: Record<string, string>;
  /** Query parameters a route needs to be valid at all, by "file METHOD". */
  queries: Record<string, string>;
  /** The second path param of routes that have one. */
  addressIds: Record<string, string>;
  bodies: Record<string, () => Record<string, unknown>>;
}

interface Case {
  name: string;
  /** Query string to add. */
  query?: string;
  /** Path params to use instead of the route's real ids. */
  params?: Record<string, string>;
  /** A JSON body (merged into the route's valid body, or members appended to its text) or raw bytes. */
  body?: { merge: Record<string, unknown> } | { append: string } | { raw: string | Uint8Array<ArrayBuffer>; type?: string };
  /** Field names of which a 422 must name at least one. */
  fields?: string[];
  /** The status this case must get on an authenticated route (else any non-5xx). */
  status?: number;
}

const dateTexts = ["0000-01-01", "9999-12-31T23:59:59-14:00", "2026-02-31", "+275760-09-13T00:00:00.000Z", "1969-12-31T23:59:59Z", "2026-05-01T25:00"];

function casesFor(world: World): Case[] {
  const q = (name: string, query: string, fields: string[], status?: number): Case => ({ name, query, fields, ...(status ? { status } : {}) });
  const deep = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
  return [
    // Query strings: NUL, prototype names, dates, forged cursors.
    q("NUL in a query value", "q=a%00b", ["q"], 422),
    q("NUL in a query name", "a%00b=1", ["a\\u0000b"], 422),
    q("__proto__ as a query name", "__proto__=1", ["__proto__"], 422),
    q("constructor as a query name", "constructor=1", ["constructor"], 422),
    q("toString as a query name", "toString=1", ["toString"]),
    q("hasOwnProperty as a query name", "hasOwnProperty=1&valueOf=2", ["hasOwnProperty", "valueOf"]),
    ...dateTexts.flatMap((d) => [q(`from=${d}`, `from=${encodeURIComponent(d)}`, ["from"]), q(`to=${d}`, `to=${encodeURIComponent(d)}`, ["to"])]),
    ...[
      ["placed", "0000-01-01T00:00:00.000Z"],
      ["placed", "+275760-09-13T00:00:00.000Z"],
      ["placed", "2026-02-31T00:00:00.000Z"],
      ["placed", 1e300],
      ["total", 1e300],
      ["number", "a\u0000b"],
      ["number", "\ud800"],
    ].map(([sort, value]) => q(`forged ${sort} cursor ${String(value)}`, `sort=${sort}&cursor=${b64([sort, "desc", value, SOME_UUID])}`, ["cursor", "sort"])),
    ...["0000-01-01T00:00:00.000Z/1", "+275760-09-13T00:00:00.000Z/1", "2026-02-31T00:00:00.000Z/1", "2026-05-01T00:00:00.000Z/99999999999999999999"].map((value) =>
      q(`forged audit cursor ${value}`, `cursor=${b64(["time", "desc", value, world.orgId])}`, ["cursor"]),
    ),
    q("cursor that is not base64 JSON", "cursor=%E2%80%A2%E2%80%A2", ["cursor"]),
    q("cursor holding a prototype key", `cursor=${Buffer.from('{"__proto__":{"polluted":1}}').toString("base64url")}`, ["cursor"]),
    q("absurd limit", "limit=1e400", ["limit"]),
    // Path params, as Next hands them over once decoded.
    { name: "NUL in the id", params: { id: "a\u0000b" }, fields: ["id"], status: 422 },
    { name: "a lone surrogate in the id", params: { id: "\ud800" }, fields: ["id"], status: 422 },
    { name: "an id that is no uuid", params: { id: "not-a-uuid" }, status: 404 },
    { name: "constructor as the id", params: { id: "constructor" }, status: 404 },
    { name: "an undecoded escape as the id", params: { id: "%zz" }, status: 404 },
    { name: "a 10,000-character id", params: { id: "x".repeat(10_000) }, status: 404 },
    // Bodies.
    { name: "NUL in a body string", body: { merge: { name: "a\u0000b" } }, fields: ["name"], status: 422 },
    { name: "a lone surrogate in a body string", body: { merge: { name: "x\udc00" } }, fields: ["name"], status: 422 },
    { name: "a lone surrogate in a body key", body: { raw: '{"\\ud800": 1}' }, fields: ["\\ud800"], status: 422 },
    { name: "__proto__ in a body", body: { raw: '{"__proto__": {"isAdmin": true}, "name": "x"}' }, fields: ["__proto__"], status: 422 },
    { name: "constructor.prototype in a body", body: { merge: { constructor: { prototype: { isAdmin: true } } } }, fields: ["constructor"], status: 422 },
    { name: "a nested __proto__", body: { raw: '{"name": "x", "inherits": [{"__proto__": {}}]}' }, fields: ["inherits.0.__proto__"], status: 422 },
    { name: "a body nested 100 levels", body: { merge: { deep: JSON.parse(deep(100)) } }, status: 422 },
    { name: "a body nested 30,000 levels", body: { raw: deep(30_000) }, status: 422 },
    { name: "a 70 KiB body", body: { merge: { name: "x".repeat(70 * 1024) } }, status: 413 },
    { name: "malformed JSON", body: { raw: '{"name": ' }, fields: ["body"], status: 422 },
    { name: "bytes that are not UTF-8", body: { raw: new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }, fields: ["body"], status: 422 },
    { name: "a body sent as text/plain", body: { raw: "{}", type: "text/plain" }, fields: ["body"], status: 422 },
    { name: "a JSON string as the body", body: { raw: '"just text"' } },
    { name: "a JSON array as the body", body: { raw: "[1, 2]" } },
    { name: "null as the body", body: { raw: "null" } },
    ...[...dateTexts, "9999-12-31T23:59:59.999Z"].map((d): Case => ({ name: `expiresAt ${d}`, body: { merge: { expiresAt: d } }, fields: ["expiresAt"] })),
    { name: "expiresAt as a number", body: { merge: { expiresAt: 1e20 } }, fields: ["expiresAt"] },
    { name: "an amount beyond 2^53", body: { merge: { approvalLimitMinor: 1e300, approvalLimitCurrency: "USD" } }, fields: ["approvalLimitMinor"] },
    { name: "an amount that JSON rounds", body: { append: '"approvalLimitMinor": 9007199254740993, "approvalLimitCurrency": "USD"' }, fields: ["approvalLimitMinor"] },
  ];
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

async function buildWorld(): Promise<World> {
  const org = await makeOrg("Probe");
  const branch = await makeBranch(org.operator, "Depot");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: branch.id });
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: branch.id });
  const role = await runCommand(createRoleCommand, org.operator, meta, { name: "Probe role", permissions: ["orders:read"] });
  const grant = await runCommand(addGrantCommand, org.operator, meta, { membershipId: viewer.membershipId, roleId: role.id, branchId: branch.id });
  const order = await makeOrder(org.operator, { branchId: branch.id, buyerId: buyer.userId });
  const { token } = await runCommand(createApiTokenCommand, org.operator, meta, { email: admin.email });
  // The installation's supplier, with this org as its account, a product and an address.
  const supplier = await makeSupplier();
  const staff = await makeSupplierStaff("Admin");
  const { token: supplierToken } = await runCommand(createApiTokenCommand, supplier.operator, meta, { email: staff.email });
  await openAccount(org.id);
  const notYetAccount = await makeOrg("Probe prospect");
  const product = await makeProduct();
  // The member routes: an invited member whose name the org may change, removed by the DELETE probe.
  const victim = await runCommand(createMemberCommand, org.operator, meta, { email: `${unique("victim")}@example.test`, roleName: "Buyer", branchId: branch.id });
  const address = await runCommand(addBranchAddressCommand, org.operator, meta, { branchId: branch.id, label: "Dock", lines: ["1 Main St"], city: "Chicago", country: "US" });
  // Ordering: the admin's own draft and an order waiting for approval, and a rule.
  const adminPrincipal = (await loadMemberPrincipal(getDb(), { type: "user", userId: admin.userId, label: admin.email }, org.slug))!;
  const rule = await runCommand(createApprovalRuleCommand, org.operator, meta, { name: "Probe rule", branchId: null, tiers: [[[await adminRoleId(org.id)]]] });
  // Its own product: the catalog routes' probes delete theirs.
  const draftLines = [{ sku: (await makeProduct()).sku, quantity: 1 }];
  const draft = await runCommand(draftOrderCommand, adminPrincipal, meta, { branchId: branch.id, lines: draftLines });
  const buyerDraft = await runCommand(draftOrderCommand, buyer.principal, meta, { branchId: branch.id, lines: draftLines });
  await runCommand(submitOrderCommand, buyer.principal, meta, { orderId: buyerDraft.id });
  // SSO: a connection (no IdP is contacted), an unverified domain claim and a rule.
  const connection = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" });
  const ssoDomain = await runCommand(addDomainCommand, org.operator, meta, { connectionId: connection.id, domain: `${org.slug}.example.test` });
  const ssoMapping = await runCommand(addMappingCommand, org.operator, meta, { connectionId: connection.id, claim: "groups", value: "probe", roleId: role.id, branchId: branch.id });
  // Invoices: one issued on a placed order (decided by the probes), and a placed order to invoice.
  const placed = () => runCommand(createOrderCommand, org.operator, meta, { branchId: branch.id, buyerId: buyer.userId, currency: "USD", status: "approved", lines: [{ sku: "SKU-1", description: "Widget", quantity: 1, unitPriceMinor: 100 }] });
  const invoice = await runCommand(issueInvoiceCommand, supplier.operator, meta, { orderId: (await placed()).id });
  const toInvoice = await placed();
  // Delegations: the admin names an approver; each valid body takes its own hour, so none overlaps.
  const delegateMember = await makeMember(org.operator, { roleName: "Approver", branchId: branch.id });
  let delegationSlot = 0;
  const delegation = await runCommand(createDelegationCommand, adminPrincipal, meta, { delegateMembershipId: delegateMember.membershipId, startsAt: new Date(Date.now() + 1000 * 3_600_000), endsAt: new Date(Date.now() + 1001 * 3_600_000) });
  const ids: Record<string, string> = {
    "app/api/v1/sso/connections/[id]/route.ts": connection.id,
    "app/api/v1/sso/domains/[id]/route.ts": ssoDomain.id,
    "app/api/v1/sso/domains/[id]/verify/route.ts": ssoDomain.id,
    "app/api/v1/sso/mappings/[id]/route.ts": ssoMapping.id,
    "app/api/v1/approval-delegations/[id]/route.ts": delegation.id,
    "app/api/v1/invoices/[id]/route.ts": invoice.id,
    "app/api/v1/invoices/[id]/approve/route.ts": invoice.id,
    "app/api/v1/invoices/[id]/dispute/route.ts": invoice.id,
    "app/api/v1/orders/[id]/submit/route.ts": draft.id,
    "app/api/v1/orders/[id]/cancel/route.ts": draft.id,
    "app/api/v1/orders/[id]/approve/route.ts": buyerDraft.id,
    "app/api/v1/orders/[id]/reject/route.ts": buyerDraft.id,
    "app/api/v1/approval-rules/[id]/route.ts": rule.id,
    "app/api/v1/branches/[id]/route.ts": branch.id,
    "app/api/v1/roles/[id]/route.ts": role.id,
    "app/api/v1/grants/[id]/route.ts": grant.id,
    "app/api/v1/orders/[id]/route.ts": draft.id,
    "app/api/v1/accounts/[id]/route.ts": org.id,
    "app/api/v1/catalog/products/[id]/route.ts": product.id,
    "app/api/v1/catalog/products/[id]/account-prices/route.ts": product.id,
    "app/api/v1/branches/[id]/addresses/route.ts": branch.id,
    "app/api/v1/branches/[id]/addresses/[addressId]/route.ts": branch.id,
    "app/api/v1/members/[id]/route.ts": victim.membershipId,
    "app/api/v1/members/[id]/sessions/revoke/route.ts": viewer.membershipId,
  };
  const addressIds: Record<string, string> = { "app/api/v1/branches/[id]/addresses/[addressId]/route.ts": address.id };
  // A valid body per route, so that the one bad field is what the answer is about.
  const bodies: Record<string, () => Record<string, unknown>> = {
    "app/api/v1/branches/route.ts POST": () => ({ name: unique("Branch"), parentId: branch.id }),
    "app/api/v1/branches/[id]/route.ts PATCH": () => ({ name: unique("Renamed") }),
    "app/api/v1/roles/route.ts POST": () => ({ name: unique("Role").slice(0, 60) }),
    "app/api/v1/roles/[id]/route.ts PATCH": () => ({ name: unique("Role").slice(0, 60), permissions: ["orders:read"] }),
    "app/api/v1/grants/route.ts POST": () => ({ membershipId: viewer.membershipId, roleId: role.id, branchId: branch.id }),
    "app/api/v1/access/explain/route.ts POST": () => ({ membershipId: viewer.membershipId, permission: "orders:read" }),
    "app/api/v1/accounts/route.ts POST": () => ({ orgId: notYetAccount.id, baseCurrency: "USD", currencies: [] }),
    "app/api/v1/accounts/[id]/route.ts PATCH": () => ({ tier: "Gold" }),
    "app/api/v1/catalog/products/route.ts POST": () => ({ sku: unique("PRB").toUpperCase().slice(0, 40), name: "Probe part", prices: { USD: 100 } }),
    "app/api/v1/catalog/products/[id]/route.ts PATCH": () => ({ name: "Probe part, renamed" }),
    "app/api/v1/catalog/products/[id]/account-prices/route.ts PUT": () => ({ accountId: org.id, currency: "USD", unitPriceMinor: 100 }),
    "app/api/v1/branches/[id]/addresses/route.ts POST": () => ({ label: unique("Dock").slice(0, 40), lines: ["1 Main St"], city: "Chicago", country: "US" }),
    "app/api/v1/branches/[id]/addresses/[addressId]/route.ts PATCH": () => ({ label: "Main dock" }),
    "app/api/v1/members/route.ts POST": () => ({ email: `${unique("probe")}@example.test`, roleName: "Buyer", branchId: branch.id }),
    "app/api/v1/members/[id]/route.ts PATCH": () => ({ name: "Probe member" }),
    "app/api/v1/members/[id]/sessions/revoke/route.ts POST": () => ({ scope: "organization" }),
    "app/api/v1/orders/route.ts POST": () => ({ branchId: branch.id, lines: draftLines }),
    "app/api/v1/orders/[id]/route.ts PATCH": () => ({ note: "Probe" }),
    "app/api/v1/approval-rules/route.ts POST": () => ({ name: unique("Rule"), branchId: branch.id, tiers: rule.tiers }),
    "app/api/v1/approval-rules/[id]/route.ts PATCH": () => ({ name: unique("Rule") }),
    "app/api/v1/approval-rules/dry-run/route.ts POST": () => ({ branchId: branch.id, lines: draftLines }),
    "app/api/v1/sso/connections/route.ts POST": () => ({ protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" }),
    "app/api/v1/sso/connections/[id]/route.ts PATCH": () => ({ name: "Probe IdP" }),
    "app/api/v1/sso/domains/route.ts POST": () => ({ connectionId: connection.id, domain: `${unique("probe")}.example.test` }),
    "app/api/v1/sso/mappings/route.ts POST": () => ({ connectionId: connection.id, claim: "groups", value: "probe", roleId: role.id, branchId: branch.id }),
    "app/api/v1/sso/mappings/dry-run/route.ts POST": () => ({ connectionId: connection.id, claims: { groups: ["probe"] } }),
    "app/api/v1/invoices/route.ts POST": () => ({ orderId: toInvoice.id }),
    "app/api/v1/approval-delegations/route.ts POST": () => ({ delegateMembershipId: delegateMember.membershipId, startsAt: new Date(Date.now() + 3_600_000 * (1 + delegationSlot++)).toISOString(), endsAt: new Date(Date.now() + 3_600_000 * (1 + delegationSlot) + 1_800_000).toISOString() }),
    "app/api/v1/invoices/[id]/dispute/route.ts POST": () => ({ comment: "Probe" }),
  };
  void order;
  const queries: Record<string, string> = { "app/api/v1/catalog/products/[id]/account-prices/route.ts DELETE": `accountId=${org.id}&currency=USD` };
  return { token, supplierToken, orgId: org.id, ids, addressIds, bodies, queries };
}

async function adminRoleId(orgId: string): Promise<string> {
  const { asOperator } = await import("../support/as-operator");
  const { roles } = await import("@/db/schema");
  const { and, eq } = await import("drizzle-orm");
  const [row] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, "Admin"))));
  return row!.id;
}

/** The supplier's own routes, probed with its staff's token (a customer's is refused before any input is read). */
const supplierRoute = (file: string, method: string) => /^app\/api\/v1\/(accounts|catalog)\//.test(file) || (file === "app/api/v1/invoices/route.ts" && method === "POST");

// Some routes need a parameter to be valid at all; the bad one comes on top.
const baseQuery: Record<string, string> = { "app/api/v1/audit/export/route.ts": "format=jsonl" };

function routePath(file: string, params: Record<string, string>): string {
  return file
    .replace(/^app/, "")
    .replace(/\/route\.ts$/, "")
    .replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, name: string) => encodeSegment(params[name] ?? "x"));
}

// A lone surrogate has no percent-encoding; Next would never have decoded one from a URL.
function encodeSegment(text: string): string {
  return text.isWellFormed() ? encodeURIComponent(text) : "x";
}

function buildRequest(world: World, file: string, method: string, c: Case): { request: Request; params: Record<string, string> } {
  const params = c.params ?? (/\[id\]/.test(file) ? { id: world.ids[file] ?? SOME_UUID, ...(/\[addressId\]/.test(file) ? { addressId: world.addressIds[file] ?? SOME_UUID } : {}) } : {});
  const query = [baseQuery[file], world.queries[`${file} ${method}`], c.query].filter(Boolean).join("&");
  const url = `http://localhost${routePath(file, params)}${query ? `?${query}` : ""}`;
  const headers: Record<string, string> = { authorization: `Bearer ${supplierRoute(file, method) ? world.supplierToken : world.token}` };
  let body: BodyInit | undefined;
  if (BODY_METHODS.has(method)) {
    if (c.body && "raw" in c.body) {
      body = c.body.raw;
      headers["content-type"] = c.body.type ?? "application/json";
    } else {
      const base = world.bodies[`${file} ${method}`]?.() ?? {};
      body = c.body && "append" in c.body ? JSON.stringify(base).replace(/}$/, `${Object.keys(base).length ? ", " : ""}${c.body.append}}`) : JSON.stringify({ ...base, ...(c.body?.merge ?? {}) });
      headers["content-type"] = "application/json";
    }
  }
  return { request: new Request(url, { method, headers, body }), params };
}

/** What is wrong with one answer; an empty list when it is fine. */
async function judge(response: Response, c: Case, authenticated: boolean, errorLog: MockInstance): Promise<string[]> {
  const problems: string[] = [];
  let text = "";
  try {
    text = await response.text(); // a stream is read to its end: a cut-off export rejects here
  } catch (error) {
    problems.push(`the body broke off: ${(error as Error).message}`);
  }
  const type = response.headers.get("content-type") ?? "";
  if (response.status >= 500) problems.push(`answered ${response.status}: ${text.slice(0, 200)}`);
  if (response.status >= 400 && response.status < 500) {
    if (type !== "application/problem+json") problems.push(`a ${response.status} as ${type || "no content type"}`);
    else {
      const problem = JSON.parse(text) as { status: number; errors?: Record<string, string[]> };
      if (problem.status !== response.status) problems.push(`problem.status ${problem.status} on a ${response.status}`);
      if (response.status === 422 && c.fields && !c.fields.some((f) => problem.errors && Object.hasOwn(problem.errors, f))) {
        problems.push(`the 422 names ${JSON.stringify(Object.keys(problem.errors ?? {}))}, not ${c.fields.join(" or ")}`);
      }
    }
  }
  if (authenticated && c.status !== undefined && response.status !== c.status) problems.push(`answered ${response.status}, expected ${c.status}: ${text.slice(0, 200)}`);
  if (errorLog.mock.calls.length > 0) problems.push(`logged an unexpected error: ${String(errorLog.mock.calls[0]?.[0]).slice(0, 200)}`);
  return problems;
}

describe(`${CHECKLIST}: every REST route × every bad-input class`, () => {
  let world: World;
  let errorLog: MockInstance;
  beforeAll(async () => {
    world = await buildWorld();
  }, 120_000);
  beforeEach(() => {
    errorLog = vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(() => {
    errorLog.mockRestore();
  });

  it("finds the route files (the probe cannot pass by probing nothing)", () => {
    const files = listRouteFiles();
    expect(files).toContain("app/api/v1/orders/[id]/route.ts");
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  for (const file of listRouteFiles()) {
    if (needsNextScope.has(file)) continue;
    // SCIM answers in its own Error schema, to a SCIM token: tests/integration/scim-bad-input.test.ts probes every SCIM route.
    if (file.startsWith("app/api/scim/")) continue;
    for (const method of METHODS) {
      it(`${method} ${routePath(file, {})}`, async () => {
        const routeModule = (await import(`@/${file.replace(/\.ts$/, "")}`)) as Record<string, Handler | undefined>;
        const handler = routeModule[method];
        if (!handler) return; // not served: proxy.ts answers 405 (api-methods.test.ts)
        const authenticated = readFileSync(file, "utf8").includes("withApiPrincipal(");
        const failures: string[] = [];
        for (const c of casesFor(world)) {
          if (c.body && !BODY_METHODS.has(method)) continue;
          if (c.params && !/\[id\]/.test(file)) continue;
          errorLog.mockClear();
          const { request, params } = buildRequest(world, file, method, c);
          let response: Response;
          try {
            response = await handler(request, { params: Promise.resolve(params) });
          } catch (error) {
            failures.push(`${c.name}: threw ${(error as Error).message}`);
            continue;
          }
          for (const problem of await judge(response, c, authenticated, errorLog)) failures.push(`${c.name}: ${problem}`);
        }
        expect(failures).toEqual([]);
      }, 60_000);
    }
  }

  it("the routes that need Next's request scope are listed with a reason, and exist", () => {
    for (const file of needsNextScope.keys()) expect(listRouteFiles()).toContain(file);
  });
});
