import { beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import * as orderList from "@/app/api/v1/orders/route";
import * as approveRoute from "@/app/api/v1/orders/[id]/approve/route";
import * as approvalsRoute from "@/app/api/v1/approvals/route";
import * as ruleList from "@/app/api/v1/approval-rules/route";
import * as delegationList from "@/app/api/v1/approval-delegations/route";
import * as delegationItem from "@/app/api/v1/approval-delegations/[id]/route";
import { approvalDelegations, approvalSteps, auditEvents } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, meta } from "../support/factories";
import { buildOrderingWorld, call, roleIdOf, type OrderingWorld } from "./ordering-world";

let w: OrderingWorld;
type Member = Awaited<ReturnType<typeof makeMember>>;
let people: { chicagoApprover: Member & { token: string }; limited: Member & { token: string }; torontoBuyer: Member & { token: string }; emeaApprover: Member & { token: string } };
let toronto: { id: string };
const HOUR = 3_600_000;

beforeAll(async () => {
  w = await buildOrderingWorld();
  const manager = await roleIdOf(w.org.id, "Manager");
  const approver = await roleIdOf(w.org.id, "Approver");
  // North America: over USD 5,000 needs a Manager. Approvers (a role the rule does not ask for) cannot decide it.
  expect((await call(ruleList.POST, w.tokens.admin, "POST", "/api/v1/approval-rules", { body: { name: "NA over 5,000", branchId: w.branches.na.id, overTotalMinor: 5_000_00, tiers: [[[manager]]] } })).status).toBe(201);
  toronto = await makeBranch(w.org.operator, "Toronto", w.branches.na.id);
  await runCommand(addBranchAddressCommand, w.org.operator, meta, { branchId: toronto.id, label: "Toronto dock", lines: ["1 Bay St"], city: "Toronto", country: "CA", isDefault: true });
  const withToken = async (m: Member) => ({ ...m, token: (await runCommand(createApiTokenCommand, w.org.operator, meta, { email: m.email })).token });
  const chicagoApprover = await withToken(await makeMember(w.org.operator, { roleName: "Approver", branchId: w.branches.chicago.id }));
  const limited = await withToken(await makeMember(w.org.operator, { roleName: "Viewer", branchId: w.branches.chicago.id }));
  await runCommand(addGrantCommand, w.org.operator, meta, { membershipId: limited.membershipId, roleId: approver, branchId: w.branches.chicago.id, approvalLimitMinor: 1_000_00, approvalLimitCurrency: "USD" });
  const torontoBuyer = await withToken(await makeMember(w.org.operator, { roleName: "Buyer", branchId: toronto.id }));
  const emeaApprover = await withToken(await makeMember(w.org.operator, { roleName: "Approver", branchId: w.branches.emea.id }));
  people = { chicagoApprover, limited, torontoBuyer, emeaApprover };
}, 120_000);

async function submitted(units: number, token = w.tokens.buyer, branchId = w.branches.chicago.id) {
  const res = await call(orderList.POST, token, "POST", "/api/v1/orders", { body: { branchId, lines: [{ sku: w.products.widget.sku, quantity: units }], submit: true } });
  expect(res.status).toBe(201);
  return res.body as { id: string; status: string };
}
const approve = (id: string, token: string) => call(approveRoute.POST, token, "POST", `/api/v1/orders/${id}/approve`, { params: { id }, body: {} });
const delegate = (token: string, body: Record<string, unknown>) => call(delegationList.POST, token, "POST", "/api/v1/approval-delegations", { body });
const inboxOf = async (token: string) => (await call(approvalsRoute.GET, token, "GET", "/api/v1/approvals?limit=200")).body.data as Array<{ orderId: string; onBehalfOf: string | null }>;
const inAWeek = () => new Date(Date.now() + 7 * 24 * HOUR).toISOString();

describe("approval delegates", () => {
  it("without a delegation, an Approver cannot decide a tier that asks for a Manager", async () => {
    const order = await submitted(60);
    expect((await approve(order.id, people.chicagoApprover.token)).status).toBe(403);
    expect((await inboxOf(people.chicagoApprover.token)).map((a) => a.orderId)).not.toContain(order.id);
  });

  it("the manager names a delegate: the delegate sees the manager's waiting approvals, decides one for them, and it is on record", async () => {
    const created = await delegate(w.tokens.manager, { delegateEmail: people.chicagoApprover.email.toUpperCase(), endsAt: inAWeek() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: "active", delegator: { email: w.members.manager.email }, delegate: { email: people.chicagoApprover.email } });
    const order = await submitted(60);
    const inbox = await inboxOf(people.chicagoApprover.token);
    expect(inbox.find((a) => a.orderId === order.id)?.onBehalfOf).toEqual(expect.any(String));
    const res = await approve(order.id, people.chicagoApprover.token);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("approved");
    const [step] = await asOperator((tx) => tx.select({ by: approvalSteps.decidedBy, for: approvalSteps.decidedFor }).from(approvalSteps).where(eq(approvalSteps.orderId, order.id)));
    expect(step).toEqual({ by: people.chicagoApprover.userId, for: w.members.manager.userId });
    const [event] = await asOperator((tx) => tx.select({ metadata: auditEvents.metadata }).from(auditEvents).where(and(eq(auditEvents.targetId, order.id), eq(auditEvents.action, "order.approval.approved"))));
    expect(event!.metadata).toMatchObject({ onBehalfOf: w.members.manager.userId });
    // The manager's decision was made for them: the order is no longer in their inbox either.
    expect((await inboxOf(w.tokens.manager)).map((a) => a.orderId)).not.toContain(order.id);
  });

  it("a delegate decides only within their own scope: a Toronto order the manager could approve is 403 to the Chicago delegate", async () => {
    const order = await submitted(60, people.torontoBuyer.token, toronto.id);
    expect((await inboxOf(people.chicagoApprover.token)).map((a) => a.orderId)).not.toContain(order.id);
    const res = await approve(order.id, people.chicagoApprover.token);
    expect(res.status).toBe(404); // Toronto is outside the delegate's own branches: not even visible
    expect((await approve(order.id, w.tokens.manager)).status).toBe(200);
  });

  it("a delegate decides only within their own approval limit", async () => {
    expect((await delegate(w.tokens.manager, { delegateMembershipId: people.limited.membershipId, endsAt: inAWeek() })).status).toBe(201);
    const order = await submitted(60);
    expect((await inboxOf(people.limited.token)).map((a) => a.orderId)).not.toContain(order.id);
    const res = await approve(order.id, people.limited.token);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/approval limit/);
  });

  it("self-escalation: no delegating to oneself, none without orders:approve, none to someone outside one's branches, and no approving one's own order through a delegation", async () => {
    const self = await delegate(w.tokens.manager, { delegateMembershipId: w.members.manager.membershipId, endsAt: inAWeek() });
    expect(self.status).toBe(422);
    expect(self.body.errors).toHaveProperty("delegateMembershipId");
    expect((await delegate(w.tokens.buyer, { delegateMembershipId: w.members.manager.membershipId, endsAt: inAWeek() })).status).toBe(403);
    const outside = await delegate(w.tokens.manager, { delegateMembershipId: people.emeaApprover.membershipId, endsAt: inAWeek() });
    expect(outside.status).toBe(422);
    expect(outside.body.detail ?? JSON.stringify(outside.body.errors)).toMatch(/does not approve orders in any of your branches/);
    // The Chicago approver, delegate of the manager, buys: their own order stays out of reach.
    await runCommand(addGrantCommand, w.org.operator, meta, { membershipId: people.chicagoApprover.membershipId, roleId: await roleIdOf(w.org.id, "Buyer"), branchId: w.branches.chicago.id });
    const own = await submitted(60, people.chicagoApprover.token);
    const res = await approve(own.id, people.chicagoApprover.token);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/own order/);
  });

  it("periods: an ended or not yet begun one is refused or lends nothing; ending one early takes it back at once", async () => {
    const past = await delegate(w.tokens.manager, { delegateMembershipId: w.members.admin.membershipId, startsAt: new Date(Date.now() - 48 * HOUR).toISOString(), endsAt: new Date(Date.now() - HOUR).toISOString() });
    expect(past.status).toBe(422);
    expect(past.body.errors).toHaveProperty("endsAt");
    for (const body of [
      { delegateMembershipId: w.members.admin.membershipId, endsAt: "0000-01-01T00:00:00Z" },
      { delegateMembershipId: w.members.admin.membershipId, endsAt: new Date(Date.now() + 400 * 24 * HOUR).toISOString() },
      { delegateMembershipId: w.members.admin.membershipId, startsAt: inAWeek(), endsAt: new Date(Date.now() + HOUR).toISOString() },
      { delegateMembershipId: w.members.admin.membershipId, delegateEmail: "x@example.test", endsAt: inAWeek() },
      { endsAt: inAWeek() },
      { delegateMembershipId: w.members.admin.membershipId, endsAt: inAWeek(), delegatorId: w.members.admin.userId },
    ]) {
      expect((await delegate(w.tokens.manager, body)).status, JSON.stringify(body)).toBe(422);
    }
    // Upcoming: named for tomorrow, so the admin cannot decide a Manager tier today.
    const upcoming = await delegate(w.tokens.manager, { delegateMembershipId: w.members.admin.membershipId, startsAt: new Date(Date.now() + 24 * HOUR).toISOString(), endsAt: inAWeek() });
    expect(upcoming.body.state).toBe("upcoming");
    const order = await submitted(60);
    expect((await approve(order.id, w.tokens.admin)).status).toBe(403);
    // A delegation to the admin running now (it ends before the upcoming one begins), then ended early.
    const running = await delegate(w.tokens.manager, { delegateMembershipId: w.members.admin.membershipId, endsAt: new Date(Date.now() + 12 * HOUR).toISOString() });
    expect(running.status).toBe(201);
    expect((await delegate(w.tokens.manager, { delegateMembershipId: w.members.admin.membershipId, startsAt: new Date(Date.now() + 30 * HOUR).toISOString(), endsAt: new Date(Date.now() + 40 * HOUR).toISOString() })).status).toBe(409);
    const end = (token: string) => call(delegationItem.DELETE, token, "DELETE", "/api/v1/approval-delegations/x", { params: { id: running.body.id } });
    expect((await end(w.tokens.admin)).status).toBe(404); // the delegate cannot end it, nor can anyone else
    expect((await end(w.tokens.emeaManager)).status).toBe(404);
    const ended = await end(w.tokens.manager);
    expect(ended.status).toBe(200);
    expect(ended.body.state).toBe("ended");
    expect((await approve(order.id, w.tokens.admin)).status).toBe(403);
    const [row] = await asOperator((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(approvalDelegations).where(eq(approvalDelegations.id, running.body.id)));
    expect(row!.n).toBe(1); // kept, for the record
    const mine = await call(delegationList.GET, w.tokens.manager, "GET", "/api/v1/approval-delegations");
    expect(mine.body.given.map((d: { id: string }) => d.id)).toEqual(expect.arrayContaining([running.body.id, upcoming.body.id]));
    const theirs = await call(delegationList.GET, w.tokens.admin, "GET", "/api/v1/approval-delegations");
    expect(theirs.body.received.map((d: { id: string }) => d.id)).toContain(upcoming.body.id);
    expect((await call(delegationItem.GET, w.tokens.emeaManager, "GET", "/api/v1/approval-delegations/x", { params: { id: upcoming.body.id } })).status).toBe(404);
    // Audited, both ways.
    const events = await asOperator((tx) => tx.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, running.body.id)));
    expect(events.map((e) => e.action).sort()).toEqual(["approval.delegation.created", "approval.delegation.ended"]);
  });
});
