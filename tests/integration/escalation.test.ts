import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { approvalSteps } from "@/db/schema";
import { getDb } from "@/db/client";
import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { listWaitingApprovals } from "@/lib/approvals/list-waiting-approvals";
import { sweepEscalations } from "@/lib/approvals/sweep-escalations";
import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { approveOrderCommand } from "@/lib/orders/decide-order";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { asOperator } from "../support/as-operator";
import { makeMember, meta } from "../support/factories";
import { buildOrderingWorld, roleIdOf, type OrderingWorld } from "./ordering-world";

let w: OrderingWorld;
let chicagoApprover: Awaited<ReturnType<typeof makeMember>>;
const HOUR = 3_600_000;
beforeAll(async () => {
  w = await buildOrderingWorld();
  chicagoApprover = await makeMember(w.org.operator, { roleName: "Approver", branchId: w.branches.chicago.id });
  const approver = await roleIdOf(w.org.id, "Approver");
  const admin = await roleIdOf(w.org.id, "Admin");
  await runCommand(createApprovalRuleCommand, w.org.operator, meta, { name: "Chicago, every order", branchId: w.branches.chicago.id, tiers: [[[approver, admin]]], escalateAfterHours: 1 });
}, 120_000);

async function waitingOrder() {
  const order = await runCommand(draftOrderCommand, w.members.buyer.principal, meta, { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] });
  await runCommand(submitOrderCommand, w.members.buyer.principal, meta, { orderId: order.id });
  const [step] = await asOperator((tx) => tx.select().from(approvalSteps).where(eq(approvalSteps.orderId, order.id)));
  return { orderId: order.id, step: step! };
}
const inboxOf = async (p: { principal: Parameters<typeof listWaitingApprovals>[1] }) => (await readAs(p.principal, (tx) => listWaitingApprovals(tx, p.principal, { limit: 200 }))).data.map((r) => r.orderId);

describe("escalation of a tier left waiting, up the branch tree", () => {
  it("after N hours the tier is asked one level up (Chicago → North America → the root), then it stops at the root; approvers below the level no longer decide it", async () => {
    const { orderId, step } = await waitingOrder();
    const start = step.waitingSince!.getTime();
    expect(await inboxOf(chicagoApprover)).toContain(orderId);

    expect((await sweepEscalations(getDb(), { now: new Date(start + 0.5 * HOUR) })).escalated).toBe(0);
    const first = await sweepEscalations(getDb(), { now: new Date(start + 1.01 * HOUR) });
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    const level = async () => (await asOperator((tx) => tx.select({ level: approvalSteps.levelBranchId, n: approvalSteps.escalations }).from(approvalSteps).where(eq(approvalSteps.id, step.id))))[0]!;
    expect(await level()).toEqual({ level: w.branches.na.id, n: 1 });
    // The Chicago approver is below the level now; the North America manager is asked.
    expect(await inboxOf(chicagoApprover)).not.toContain(orderId);
    expect(await inboxOf(w.members.manager)).toContain(orderId);
    await expect(runCommand(approveOrderCommand, chicagoApprover.principal, meta, { orderId })).rejects.toThrow(/escalated above/);

    await sweepEscalations(getDb(), { now: new Date(start + 2.01 * HOUR) });
    expect(await level()).toEqual({ level: null, n: 2 });
    // At the root: nothing further, however long it waits.
    await sweepEscalations(getDb(), { now: new Date(start + 100 * HOUR) });
    expect(await level()).toEqual({ level: null, n: 2 });
    expect(await inboxOf(w.members.admin)).toContain(orderId);
    await runCommand(approveOrderCommand, w.members.admin.principal, meta, { orderId, comment: "escalated to me" });
  });

  it("a decided step is never escalated", async () => {
    const { orderId, step } = await waitingOrder();
    await runCommand(approveOrderCommand, chicagoApprover.principal, meta, { orderId });
    await sweepEscalations(getDb(), { now: new Date(step.waitingSince!.getTime() + 5 * HOUR) });
    const [row] = await asOperator((tx) => tx.select({ n: approvalSteps.escalations }).from(approvalSteps).where(eq(approvalSteps.id, step.id)));
    expect(row!.n).toBe(0);
  });
});
