import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import * as orderList from "@/app/api/v1/orders/route";
import * as orderItem from "@/app/api/v1/orders/[id]/route";
import * as approveRoute from "@/app/api/v1/orders/[id]/approve/route";
import * as rejectRoute from "@/app/api/v1/orders/[id]/reject/route";
import * as approvalsRoute from "@/app/api/v1/approvals/route";
import * as ruleList from "@/app/api/v1/approval-rules/route";
import * as dryRun from "@/app/api/v1/approval-rules/dry-run/route";
import { orders } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { approveOrderCommand } from "@/lib/orders/decide-order";
import { meta, makeMember } from "../support/factories";
import { raceBehind } from "../support/race-behind";
import { buildOrderingWorld, call, roleIdOf, type OrderingWorld } from "./ordering-world";

let w: OrderingWorld;
let roles: { manager: string; admin: string; approver: string };
beforeAll(async () => {
  w = await buildOrderingWorld();
  roles = { manager: await roleIdOf(w.org.id, "Manager"), admin: await roleIdOf(w.org.id, "Admin"), approver: await roleIdOf(w.org.id, "Approver") };
  // The demo's rules: at North America, over USD 5,000 a Manager; over USD 20,000 a Manager, then an Admin.
  for (const body of [
    { name: "NA over 5,000", branchId: w.branches.na.id, overTotalMinor: 5_000_00, tiers: [[[roles.manager]]] },
    { name: "NA over 20,000", branchId: w.branches.na.id, overTotalMinor: 20_000_00, tiers: [[[roles.manager]], [[roles.admin]]] },
  ]) {
    expect((await call(ruleList.POST, w.tokens.admin, "POST", "/api/v1/approval-rules", { body })).status).toBe(201);
  }
}, 120_000);

/** A submitted order of `units` widgets (USD 100 each) by the Chicago buyer, or by `token`. */
async function submitted(units: number, token = w.tokens.buyer) {
  const res = await call(orderList.POST, token, "POST", "/api/v1/orders", { body: { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: units }], submit: true } });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string; version: number; approvals: Array<{ status: string; tier: number; rule: string }> };
}
const approve = (id: string, token: string, body?: unknown) => call(approveRoute.POST, token, "POST", `/api/v1/orders/${id}/approve`, { params: { id }, body });
const reject = (id: string, token: string, body?: unknown) => call(rejectRoute.POST, token, "POST", `/api/v1/orders/${id}/reject`, { params: { id }, body });

describe("approval routing", () => {
  it("the buyer submits USD 6,000 in Chicago: it waits for a Manager (the North America rule is inherited by Chicago)", async () => {
    const order = await submitted(60);
    expect(order.status).toBe("submitted");
    expect(order.approvals).toEqual([expect.objectContaining({ rule: "NA over 5,000", tier: 1, status: "pending" })]);
  });

  it("the manager sees it in their inbox and approves it with a comment; the buyer sees it placed, with the history", async () => {
    const order = await submitted(60);
    const inbox = await call(approvalsRoute.GET, w.tokens.manager, "GET", "/api/v1/approvals?limit=200");
    expect(inbox.body.data.map((a: { orderId: string }) => a.orderId)).toContain(order.id);
    const res = await approve(order.id, w.tokens.manager, { comment: "ok for Q3" });
    expect(res.status).toBe(200);
    const seen = await call(orderItem.GET, w.tokens.buyer, "GET", `/api/v1/orders/${order.id}`, { params: { id: order.id } });
    expect(seen.body.status).toBe("approved");
    expect(seen.body.approvals[0]).toMatchObject({ status: "approved", comment: "ok for Q3", decidedBy: expect.any(String), rule: "NA over 5,000", tier: 1 });
  });

  it("approving an order twice, or one already rejected, is 409", async () => {
    const a = await submitted(60);
    expect((await approve(a.id, w.tokens.manager)).status).toBe(200);
    expect((await approve(a.id, w.tokens.manager)).status).toBe(409);
    const b = await submitted(60);
    expect((await reject(b.id, w.tokens.manager, { comment: "too much" })).status).toBe(200);
    expect((await approve(b.id, w.tokens.admin)).status).toBe(409);
  });

  it("over USD 20,000: a Manager, then an Admin; one rejection rejects", async () => {
    const order = await submitted(250);
    expect(order.approvals.map((a) => [a.tier, a.status])).toEqual([
      [1, "pending"],
      [2, "pending"],
    ]);
    // The admin's tier is not waiting yet: the admin is not eligible for the Manager tier.
    expect((await approve(order.id, w.tokens.admin)).status).toBe(403);
    expect((await approve(order.id, w.tokens.manager)).body.status).toBe("submitted");
    expect((await approve(order.id, w.tokens.admin)).body.status).toBe("approved");

    const other = await submitted(250);
    await approve(other.id, w.tokens.manager);
    const rejected = await reject(other.id, w.tokens.admin, { comment: "no" });
    expect(rejected.body.status).toBe("rejected");
    expect(rejected.body.approvals.map((a: { status: string }) => a.status)).toEqual(["approved", "rejected"]);
  });

  it("a manager in another region never sees or approves it (404); a viewer without orders:approve is 403", async () => {
    const order = await submitted(60);
    expect((await approve(order.id, w.tokens.emeaManager)).status).toBe(404);
    const inbox = await call(approvalsRoute.GET, w.tokens.emeaManager, "GET", "/api/v1/approvals?limit=200");
    expect(JSON.stringify(inbox.body)).not.toContain(order.id);
    expect((await approve(order.id, w.tokens.viewer)).status).toBe(403);
  });

  it("nobody approves their own order, unless a self-approval limit of their role covers the total", async () => {
    const own = await submitted(60, w.tokens.manager);
    const res = await approve(own.id, w.tokens.manager);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/own order/);
    // The same rule with a self-approval limit of USD 7,000 for Managers.
    const rule = await call(ruleList.POST, w.tokens.admin, "POST", "/api/v1/approval-rules", { body: { name: "Toronto-like self", branchId: w.branches.chicago.id, overTotalMinor: 5_000_00, tiers: [[[roles.manager]]], selfApprovalLimits: { [roles.manager]: 7_000_00 } } });
    expect(rule.status).toBe(201);
    const again = await submitted(60, w.tokens.manager);
    // Both rules ask for a Manager in tier 1: merged, and the stricter (no) self-approval wins.
    expect((await approve(again.id, w.tokens.manager)).status).toBe(403);
    await call((await import("@/app/api/v1/approval-rules/[id]/route")).DELETE, w.tokens.admin, "DELETE", "/x", { params: { id: rule.body.id } });
  });

  it("an approver's limit below the total makes them ineligible, and the answer names the limit", async () => {
    const limited = await makeMember(w.org.operator, { roleName: "Viewer", branchId: w.branches.chicago.id });
    await runCommand(addGrantCommand, w.org.operator, meta, { membershipId: limited.membershipId, roleId: roles.manager, branchId: w.branches.chicago.id, approvalLimitMinor: 1_000_00, approvalLimitCurrency: "USD" });
    const token = (await runCommand(createApiTokenCommand, w.org.operator, meta, { email: limited.email })).token;
    const order = await submitted(60);
    const res = await approve(order.id, token);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/approval limit/);
  });

  it("two approvals racing on one order: exactly one wins, the other is 409 (the order's row is locked; forced every run)", async () => {
    const second = await makeMember(w.org.operator, { roleName: "Manager", branchId: w.branches.na.id });
    const order = await submitted(60);
    const results = await raceBehind(
      (tx) => tx.execute(sql`select 1 from orders where id = ${order.id} for update`),
      [w.members.manager.principal, second.principal].map((p) => () => runCommand(approveOrderCommand, p, meta, { orderId: order.id })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failure.reason.code).toBe("conflict");
    const [row] = await (await import("../support/as-operator")).asOperator((tx) => tx.select({ status: orders.status, version: orders.version }).from(orders).where(eq(orders.id, order.id)));
    expect(row!.status).toBe("approved");
  });

  it("the dry run shows the rules that matched and why, the tiers and the eligible approvers", async () => {
    const res = await call(dryRun.POST, w.tokens.buyer, "POST", "/api/v1/approval-rules/dry-run", { body: { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 250 }] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: "waiting", baseTotalMinor: 25_000_00, baseCurrency: "USD" });
    expect(res.body.rules.filter((r: { matched: boolean }) => r.matched).map((r: { name: string }) => r.name)).toEqual(["NA over 20,000", "NA over 5,000"]);
    expect(res.body.rules[0].reasons.join(" ")).toMatch(/is over/);
    expect(res.body.tiers.map((t: { tier: number }) => t.tier)).toEqual([1, 2]);
    const emails = res.body.tiers[0].groups[0].eligibleApprovers.map((a: { email: string }) => a.email);
    expect(emails).toContain(w.members.manager.email);
    expect(emails).not.toContain(w.members.emeaManager.email);
    const small = await call(dryRun.POST, w.tokens.buyer, "POST", "/api/v1/approval-rules/dry-run", { body: { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] } });
    expect(small.body).toMatchObject({ outcome: "approved", tiers: [] });
  });

  it("a rule naming a role that cannot approve, or another org's role, is a 422 naming the tier's field", async () => {
    const viewer = await roleIdOf(w.org.id, "Viewer");
    const res = await call(ruleList.POST, w.tokens.admin, "POST", "/api/v1/approval-rules", { body: { name: "Bad", branchId: null, tiers: [[[viewer, crypto.randomUUID()]]] } });
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(["tiers.0.0.0", "tiers.0.0.1"]);
  });
});
