import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { POST as explainPost } from "@/app/api/v1/access/explain/route";
import { POST as grantPost } from "@/app/api/v1/grants/route";
import { POST as branchPost } from "@/app/api/v1/branches/route";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";

async function tokenFor(operator: Parameters<typeof runCommand>[1], email: string) {
  return (await runCommand(createApiTokenCommand, operator, meta, { email })).token;
}

function post(url: string, token: string, body: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${url}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

async function setup() {
  const org = await makeOrg("Api Access Co");
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const berlin = await makeBranch(org.operator, "Berlin");
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  const [buyerRole] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, "Buyer"))));
  return { org, na, chicago, berlin, manager, viewer, buyerRoleId: buyerRole!.id, token: await tokenFor(org.operator, manager.email) };
}

describe("REST: access", () => {
  it("POST /api/v1/access/explain names the grant and the role chain", async () => {
    const t = await setup();
    const order = await makeOrder(t.org.operator, { branchId: t.chicago.id, buyerId: t.viewer.userId });
    const res = await explainPost(post("/api/v1/access/explain", t.token, { email: t.manager.email, permission: "orders:create", orderId: order.id }));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.explanation).toMatchObject({ allowed: true, via: ["Manager", "Buyer"], grant: { branchName: "North America" } });
    expect(body.target).toMatchObject({ type: "order", id: order.id });
    const denied = await (await explainPost(post("/api/v1/access/explain", t.token, { email: t.manager.email, permission: "audit:read", branchId: t.chicago.id }))).json();
    expect(denied.explanation).toMatchObject({ allowed: false, reason: expect.stringContaining("None of the member's roles (Manager) includes audit:read") });
  });

  it("POST /api/v1/grants: delegation within the region works, Admin is refused with 403", async () => {
    const t = await setup();
    const ok = await grantPost(post("/api/v1/grants", t.token, { membershipId: t.viewer.membershipId, roleId: t.buyerRoleId, branchId: t.chicago.id }));
    expect(ok.status).toBe(201);
    const [admin] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, t.org.id), eq(roles.name, "Admin"))));
    const refused = await grantPost(post("/api/v1/grants", t.token, { membershipId: t.viewer.membershipId, roleId: admin!.id, branchId: t.chicago.id }));
    expect(refused.status).toBe(403);
    expect((await refused.json()).detail).toContain("do not hold");
  });

  it("Request bodies have size limits. Bad input gets a clear error and loses nothing else", async () => {
    const t = await setup();
    const huge = await branchPost(post("/api/v1/branches", t.token, JSON.stringify({ name: "x".repeat(70_000) })));
    expect(huge.status).toBe(413);
    const malformed = await branchPost(post("/api/v1/branches", t.token, "{not json"));
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).errors).toEqual({ body: ["is not valid JSON"] });
    const wrongType = await branchPost(post("/api/v1/branches", t.token, { name: "Ok" }, { "content-type": "text/plain" }));
    expect(wrongType.status).toBe(422);
  });
});

describe("Checks happen on the server, per function and per object: explain names only what the asker may read", () => {
  /** The same request id, so two answers can be compared byte for byte. */
  const explainAs = async (token: string, body: unknown) => {
    const res = await explainPost(post("/api/v1/access/explain", token, body, { "x-request-id": "explain-compare" }));
    return { status: res.status, body: await res.text() };
  };

  it("an order or branch the asker may not read answers exactly like an unknown id (status and body)", async () => {
    const t = await setup();
    const berlinOrder = await makeOrder(t.org.operator, { branchId: t.berlin.id, buyerId: t.manager.userId });
    const viewerToken = await tokenFor(t.org.operator, t.viewer.email);
    // The Chicago viewer explaining their own access: Berlin is outside everything they read.
    const hiddenOrder = await explainAs(viewerToken, { email: t.viewer.email, permission: "orders:read", orderId: berlinOrder.id });
    const unknownOrder = await explainAs(viewerToken, { email: t.viewer.email, permission: "orders:read", orderId: crypto.randomUUID() });
    expect(hiddenOrder.status).toBe(404);
    expect(hiddenOrder).toEqual(unknownOrder);
    expect(hiddenOrder.body).not.toContain(berlinOrder.number);
    const hiddenBranch = await explainAs(viewerToken, { email: t.viewer.email, permission: "orders:read", branchId: t.berlin.id });
    const unknownBranch = await explainAs(viewerToken, { email: t.viewer.email, permission: "orders:read", branchId: crypto.randomUUID() });
    expect(hiddenBranch.status).toBe(404);
    expect(hiddenBranch).toEqual(unknownBranch);
    // The same order through GET /orders/{id} is 404 too; one the viewer may read is explained.
    const { GET: orderGet } = await import("@/app/api/v1/orders/[id]/route");
    const get = await orderGet(new Request(`http://localhost/api/v1/orders/${berlinOrder.id}`, { headers: { authorization: `Bearer ${viewerToken}` } }), { params: Promise.resolve({ id: berlinOrder.id }) });
    expect(get.status).toBe(404);
    const chicagoOrder = await makeOrder(t.org.operator, { branchId: t.chicago.id, buyerId: t.viewer.userId });
    const visible = await explainAs(viewerToken, { email: t.viewer.email, permission: "orders:read", orderId: chicagoOrder.id });
    expect(visible.status).toBe(200);
    expect(JSON.parse(visible.body).target).toMatchObject({ type: "order", name: `Order ${chicagoOrder.number} (Chicago)` });
  });

  it("another member's grants outside the asker's users:read are counted, never named", async () => {
    const t = await setup();
    const toronto = await makeBranch(t.org.operator, "Toronto", t.na.id);
    await runCommand(addGrantCommand, t.org.operator, meta, { membershipId: t.viewer.membershipId, roleId: t.buyerRoleId, branchId: t.berlin.id });
    // The NA manager asks about the viewer's orders:create in Toronto: granted only in Berlin.
    const denied = await explainAs(t.token, { email: t.viewer.email, permission: "orders:create", branchId: toronto.id });
    expect(denied.status).toBe(200);
    expect(denied.body).not.toContain("Berlin");
    expect(denied.body).not.toContain(t.berlin.id);
    const { explanation } = JSON.parse(denied.body);
    expect(explanation).toMatchObject({ allowed: false, elsewhere: [] });
    expect(explanation.reason).toContain("1 more in parts of the tree you cannot see");
    // The operator (or the viewer themselves) sees the whole answer.
    const own = await explainAs(await tokenFor(t.org.operator, t.viewer.email), { email: t.viewer.email, permission: "orders:create", branchId: t.chicago.id });
    expect(JSON.parse(own.body).explanation.reason).toContain("Berlin (Buyer)");
  });

  it("an allowing grant outside the asker's users:read keeps only its role", async () => {
    const t = await setup();
    const chicagoManager = await makeMember(t.org.operator, { roleName: "Manager", branchId: t.chicago.id });
    const member = await makeMember(t.org.operator, { roleName: "Viewer", branchId: t.na.id });
    await runCommand(addGrantCommand, t.org.operator, meta, { membershipId: member.membershipId, roleId: t.buyerRoleId, branchId: t.chicago.id });
    const answer = await explainAs(await tokenFor(t.org.operator, chicagoManager.email), { email: member.email, permission: "orders:read", branchId: t.chicago.id });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).explanation).toMatchObject({ allowed: true, grant: { grantId: "", roleName: "Viewer", branchId: null, branchName: "a part of the tree you cannot see" } });
    expect(answer.body).not.toContain("North America");
  });
});

describe("REST: reading an order one may not see", () => {
  it("Log every authorization failure: a hidden order of one's own org is recorded as order.read.denied; another org's id is not", async () => {
    const { GET: orderGet } = await import("@/app/api/v1/orders/[id]/route");
    const { sql } = await import("drizzle-orm");
    const t = await setup();
    const other = await setup();
    const berlinOrder = await makeOrder(t.org.operator, { branchId: t.berlin.id, buyerId: t.manager.userId });
    const foreignOrder = await makeOrder(other.org.operator, { branchId: other.chicago.id, buyerId: other.viewer.userId });
    const viewerToken = await tokenFor(t.org.operator, t.viewer.email);
    const get = (id: string) => orderGet(new Request(`http://localhost/api/v1/orders/${id}`, { headers: { authorization: `Bearer ${viewerToken}` } }), { params: Promise.resolve({ id }) });
    expect((await get(berlinOrder.id)).status).toBe(404);
    expect((await get(foreignOrder.id)).status).toBe(404);
    const events = await asOperator((tx) => tx.execute<{ org_id: string; target_id: string; outcome: string }>(sql`select org_id, target_id, outcome from audit_events where action = 'order.read.denied' and org_id in (${t.org.id}, ${other.org.id})`));
    expect(events.map((e) => ({ ...e }))).toEqual([{ org_id: t.org.id, target_id: berlinOrder.id, outcome: "denied" }]);
  });
});
