import { and, asc, eq, inArray } from "drizzle-orm";
import { approvalSteps, orders } from "@/db/schema";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { limitToBaseWith } from "@/lib/approvals/limit-to-base";
import { applyDecision, checkEligibility, currentTier, outcomeOf } from "@/lib/approvals/routing";
import { levelPathOf } from "@/lib/approvals/level-path";
import { defineCommand, notFound, type CommandContext } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import type { CommandTx } from "@/lib/core/command-tx";
import { ConflictError, ForbiddenError } from "@/lib/core/errors";
import { orderActionSchema } from "./draft-schemas";
import { bumpVersion, lockOrder, type LockedOrder } from "./order-draft-parts";

export interface DecisionOutcome {
  order: typeof orders.$inferSelect;
  stepId: string;
  /** The order's state after this decision. */
  outcome: "approved" | "rejected" | "waiting";
  /** Steps of the next tier that began waiting now (their approvers are told). */
  waitingStepIds: string[];
}

type Decision = "approved" | "rejected";

/**
 * One approver's decision on a submitted order. The order's row is locked first, so two
 * approvers deciding at once take turns: the second sees the first's step decided and the
 * order's new state (approving an approved or rejected order is 409). The approver must be
 * eligible for a step of the tier now waiting (lib/approvals/routing.ts: scope, role, limit,
 * never their own order unless a self-approval limit allows it), and decides one step per order.
 */
async function decide(ctx: CommandContext, input: { orderId: string; comment?: string; version?: number }, decision: Decision) {
  const { tx, principal } = ctx;
  const orgId = principal.org?.id ?? notFound("Organization");
  const approverId = actorUserId(principal.actor);
  if (!approverId) throw new ForbiddenError("Only a member can decide an approval.");
  const order = await lockOrder(tx, orgId, input.orderId, input.version);
  ctx.authorize("orders:approve", order.branchPath, "Order");
  if (order.status !== "submitted") throw new ConflictError(order.status === "draft" ? "This order has not been submitted." : `This order is already ${order.status}.`, "status");

  const steps = await loadSteps(tx, orgId, order.id);
  if (steps.some((s) => s.decidedBy === approverId)) throw new ConflictError("You have already decided on this order.", "status");
  const tier = currentTier(steps);
  const waiting = steps.filter((s) => s.tierNo === tier && s.status === "pending");
  const terms = await loadAccountTerms(tx, orgId);
  const limitToBase = limitToBaseWith(terms);
  const facts = { branchPath: order.branchPath, buyerId: order.buyerId, baseTotalMinor: order.baseTotalMinor ?? order.totalMinor };
  let refusal = "no approval of this order is waiting";
  let chosen: (typeof steps)[number] | null = null;
  for (const step of waiting) {
    const levelPath = await levelPathOf(tx, orgId, step.levelBranchId);
    const verdict = checkEligibility(principal.access, approverId, { roleIds: step.roleIds, selfApprovalLimits: step.selfApprovalLimits, levelPath }, facts, limitToBase);
    if (verdict.eligible) {
      chosen = step;
      break;
    }
    refusal = `rule "${step.ruleName}", tier ${step.tierNo}: ${verdict.reason}`;
  }
  if (!chosen) throw new ForbiddenError(`You cannot decide this order (${refusal}).`, "orders:approve");

  const now = new Date();
  await tx.update(approvalSteps).set({ status: decision, decidedBy: approverId, decidedAt: now, comment: input.comment ?? "" }).where(eq(approvalSteps.id, chosen.id));
  const after = applyDecision(steps, chosen.id, decision);
  let waitingStepIds: string[] = [];
  if (decision === "rejected") {
    // One rejection rejects: what still waits is withdrawn.
    const open = after.filter((s) => s.status === "pending").map((s) => s.id);
    if (open.length) await tx.update(approvalSteps).set({ status: "withdrawn" }).where(inArray(approvalSteps.id, open));
  } else {
    const next = currentTier(after);
    if (next !== null && next !== tier) {
      waitingStepIds = after.filter((s) => s.tierNo === next && s.status === "pending").map((s) => s.id);
      await tx.update(approvalSteps).set({ waitingSince: now, levelBranchId: order.branchId }).where(inArray(approvalSteps.id, waitingStepIds));
    }
  }
  const outcome = outcomeOf(after);
  const status = outcome === "waiting" ? "submitted" : outcome;
  const [updated] = await tx.update(orders).set({ status, ...bumpVersion() }).where(eq(orders.id, order.id)).returning();
  const result: DecisionOutcome = { order: updated!, stepId: chosen.id, outcome, waitingStepIds };
  return {
    result,
    target: { type: "order", id: order.id },
    branchId: order.branchId,
    metadata: { step: { id: chosen.id, rule: chosen.ruleName, tier: chosen.tierNo, group: chosen.groupNo }, orderStatus: status, comment: input.comment ?? null },
  };
}

export async function loadSteps(tx: CommandTx, orgId: string, orderId: string) {
  return tx
    .select()
    .from(approvalSteps)
    .where(and(eq(approvalSteps.orgId, orgId), eq(approvalSteps.orderId, orderId)))
    .orderBy(asc(approvalSteps.tierNo), asc(approvalSteps.groupNo));
}

export const approveOrderCommand = defineCommand({
  name: "order.approval.approved",
  description: "An approver approved a submitted order's waiting step (rule, tier, the order's resulting status and the comment in the metadata).",
  access: { permission: "orders:approve" },
  input: orderActionSchema,
  run: (ctx, input) => decide(ctx, input, "approved"),
});

export const rejectOrderCommand = defineCommand({
  name: "order.approval.rejected",
  description: "An approver rejected a submitted order, which rejects the order (rule, tier and the comment in the metadata).",
  access: { permission: "orders:approve" },
  input: orderActionSchema,
  run: (ctx, input) => decide(ctx, input, "rejected"),
});

export type { LockedOrder };
