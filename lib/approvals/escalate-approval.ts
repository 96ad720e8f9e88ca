import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { approvalSteps, branches, orders } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { escalateLevel, levelBranchId } from "./routing";

/**
 * Moves one waiting step's approvers one level up the branch tree (its level's parent; the
 * org root last), once its tier has waited escalateAfterHours × (escalations + 1). The order's
 * row is locked first, like a decision, so an escalation and an approval never cross: a step
 * decided meanwhile, or not yet due, is left alone (`escalated: false`). At the root it stops.
 */
export const escalateApprovalCommand = defineCommand({
  name: "order.approval.escalated",
  description: "A tier waited longer than its rule allows: its step was escalated one level up the branch tree (from and to levels, the count in the metadata).",
  access: "system",
  input: z.object({ stepId: z.uuid(), now: z.date().optional() }),
  async run({ tx, principal }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const [found] = await tx.select({ orderId: approvalSteps.orderId }).from(approvalSteps).where(and(eq(approvalSteps.orgId, orgId), eq(approvalSteps.id, input.stepId)));
    if (!found) notFound("Approval step");
    await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, found.orderId)).for("update");
    const [step] = await tx.select().from(approvalSteps).where(eq(approvalSteps.id, input.stepId));
    const now = input.now ?? new Date();
    const levelPath = step!.levelBranchId ? ((await tx.select({ path: branches.path }).from(branches).where(eq(branches.id, step!.levelBranchId)))[0]?.path ?? "") : "";
    const next = escalateLevel(levelPath);
    const due = step!.status === "pending" && step!.waitingSince && step!.escalateAfterHours && now.getTime() - step!.waitingSince.getTime() >= step!.escalateAfterHours * 3_600_000 * (step!.escalations + 1);
    if (!due || next === null) {
      return { result: { escalated: false, orderId: found.orderId, stepId: input.stepId }, target: { type: "order", id: found.orderId }, metadata: { step: input.stepId, escalated: false, reason: next === null ? "already at the organization root" : "not due" } };
    }
    await tx.update(approvalSteps).set({ levelBranchId: levelBranchId(next), escalations: sql`${approvalSteps.escalations} + 1` }).where(eq(approvalSteps.id, input.stepId));
    await tx.update(orders).set({ version: sql`${orders.version} + 1` }).where(eq(orders.id, found.orderId));
    return {
      result: { escalated: true, orderId: found.orderId, stepId: input.stepId },
      target: { type: "order", id: found.orderId },
      metadata: { step: input.stepId, rule: step!.ruleName, tier: step!.tierNo, fromLevel: step!.levelBranchId, toLevel: levelBranchId(next), escalations: step!.escalations + 1 },
    };
  },
});
