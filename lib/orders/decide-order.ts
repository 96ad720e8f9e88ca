import { and, asc, eq, inArray } from "drizzle-orm";
import { approvalSteps, orders } from "@/db/schema";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { limitToBaseWith } from "@/lib/approvals/limit-to-base";
import { applyDecision, checkEligibility, currentTier, outcomeOf, type LimitToBase, type OrderForDecision } from "@/lib/approvals/routing";
import { loadActiveDelegators } from "@/lib/approvals/active-delegators";
import { checkDelegateEligibility } from "@/lib/approvals/delegate-eligibility";
import type { Access } from "@/lib/access/access";
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
  if (steps.some((s) => s.decidedBy === approverId || s.decidedFor === approverId)) throw new ConflictError("You have already decided on this order.", "status");
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
  let decidedFor: string | null = null;
  if (!chosen) {
    // Not eligible as themselves: perhaps as someone's delegate, for a step that delegator could decide.
    const stand = await chooseAsDelegate(tx, principal.access, approverId, waiting, steps, { orgId, facts, limitToBase });
    if (!stand.chosen) throw new ForbiddenError(`You cannot decide this order (${stand.reason ?? refusal}).`, "orders:approve");
    chosen = stand.chosen;
    decidedFor = stand.delegatorId;
  }

  const now = new Date();
  await tx.update(approvalSteps).set({ status: decision, decidedBy: approverId, decidedFor, decidedAt: now, comment: input.comment ?? "" }).where(eq(approvalSteps.id, chosen.id));
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
    metadata: { step: { id: chosen.id, rule: chosen.ruleName, tier: chosen.tierNo, group: chosen.groupNo }, orderStatus: status, comment: input.comment ?? null, ...(decidedFor ? { onBehalfOf: decidedFor } : {}) },
  };
}

type Step = Awaited<ReturnType<typeof loadSteps>>[number];

/**
 * The first waiting step the approver may decide for one of the colleagues they stand in for
 * now (lib/approvals/delegate-eligibility.ts). A delegator who has already decided on this order
 * lends nothing: one person, one step, whoever presses the button.
 */
async function chooseAsDelegate(tx: CommandTx, access: Access, approverId: string, waiting: Step[], steps: Step[], c: { orgId: string; facts: OrderForDecision; limitToBase: LimitToBase }) {
  const delegators = (await loadActiveDelegators(tx, c.orgId, approverId)).filter((d) => !steps.some((s) => s.decidedBy === d.userId || s.decidedFor === d.userId));
  let reason: string | null = null;
  for (const step of waiting) {
    const levelPath = await levelPathOf(tx, c.orgId, step.levelBranchId);
    for (const delegator of delegators) {
      const verdict = checkDelegateEligibility(access, approverId, delegator, { roleIds: step.roleIds, selfApprovalLimits: step.selfApprovalLimits, levelPath }, c.facts, c.limitToBase);
      if (verdict.eligible) return { chosen: step, delegatorId: delegator.userId, reason: null };
      reason = `rule "${step.ruleName}", tier ${step.tierNo}: ${verdict.reason}`;
    }
  }
  return { chosen: null, delegatorId: null, reason };
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
