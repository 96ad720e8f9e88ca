import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Db, type Executor } from "@/db/client";
import { approvalSteps, branches, orders, users } from "@/db/schema";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { formatAmount } from "@/lib/accounts/money";
import type { Principal } from "@/lib/core/context";
import { readAs } from "@/lib/core/read-as";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { approvalWaitingMessage, orderDecidedMessage } from "@/lib/mail/approval-messages";
import { appLink } from "@/lib/mail/app-url";
import type { DecisionOutcome } from "@/lib/orders/decide-order";
import type { SubmitOutcome } from "@/lib/orders/submit-order";
import { listEligibleApprovers } from "./eligible-approvers";
import { levelPathOf } from "./level-path";
import { limitToBaseWith } from "./limit-to-base";

/**
 * Mail after a command committed, never inside it: a failed delivery is logged by
 * deliverMessage and changes nothing. Reads run as the acting principal (its own org).
 */
export async function notifyAfterSubmit(principal: Principal, outcome: SubmitOutcome, db: Db = getDb()): Promise<void> {
  if (outcome.waitingStepIds.length) await notifyWaiting(principal, outcome.order.id, outcome.waitingStepIds, false, db);
  else if (outcome.outcome === "approved") return;
}

export async function notifyAfterDecision(principal: Principal, outcome: DecisionOutcome, db: Db = getDb()): Promise<void> {
  if (outcome.outcome !== "waiting") await notifyBuyer(principal, outcome, db);
  else if (outcome.waitingStepIds.length) await notifyWaiting(principal, outcome.order.id, outcome.waitingStepIds, false, db);
}

/** Tells each eligible approver of the given steps (once per person) that an order waits. */
export async function notifyWaiting(principal: Principal, orderId: string, stepIds: string[], escalated: boolean, db: Db = getDb()): Promise<number> {
  const orgId = principal.org?.id;
  if (!orgId || stepIds.length === 0) return 0;
  const mails = await readAs(principal, (tx) => waitingMails(tx, orgId, principal.org!.slug, orderId, stepIds, escalated), db);
  for (const m of mails) await deliverMessage(m.to, m.message);
  return mails.length;
}

async function waitingMails(tx: Executor, orgId: string, slug: string, orderId: string, stepIds: string[], escalated: boolean) {
  const [order] = await tx
    .select({ order: orders, branchPath: branches.path, buyerName: users.name })
    .from(orders)
    .innerJoin(branches, eq(branches.id, orders.branchId))
    .innerJoin(users, eq(users.id, orders.buyerId))
    .where(and(eq(orders.orgId, orgId), eq(orders.id, orderId)));
  if (!order) return [];
  const steps = await tx.select().from(approvalSteps).where(and(eq(approvalSteps.orgId, orgId), inArray(approvalSteps.id, stepIds)));
  const limitToBase = limitToBaseWith(await loadAccountTerms(tx, orgId));
  const link = appLink(`/orgs/${slug}/orders/${orderId}`);
  const seen = new Set<string>();
  const out: Array<{ to: string; message: ReturnType<typeof approvalWaitingMessage> }> = [];
  for (const step of steps) {
    const levelPath = await levelPathOf(tx, orgId, step.levelBranchId);
    const facts = { branchPath: order.branchPath, buyerId: order.order.buyerId, baseTotalMinor: order.order.baseTotalMinor ?? order.order.totalMinor };
    for (const person of await listEligibleApprovers(tx, orgId, { roleIds: step.roleIds, selfApprovalLimits: step.selfApprovalLimits, levelPath }, facts, limitToBase)) {
      if (seen.has(person.userId)) continue;
      seen.add(person.userId);
      out.push({ to: person.email, message: approvalWaitingMessage({ orderNumber: order.order.number, total: formatAmount(order.order.totalMinor, order.order.currency), buyerName: order.buyerName, ruleName: step.ruleName, tier: step.tierNo, link, escalated }) });
    }
  }
  return out;
}

async function notifyBuyer(principal: Principal, outcome: DecisionOutcome, db: Db): Promise<void> {
  const orgId = principal.org?.id;
  if (!orgId) return;
  const found = await readAs(
    principal,
    async (tx) => {
      const [buyer] = await tx.select({ email: users.email }).from(users).where(eq(users.id, outcome.order.buyerId));
      const [step] = await tx.select({ comment: approvalSteps.comment, decidedBy: users.name }).from(approvalSteps).leftJoin(users, eq(users.id, approvalSteps.decidedBy)).where(eq(approvalSteps.id, outcome.stepId));
      return buyer && step ? { email: buyer.email, comment: step.comment, decider: step.decidedBy ?? "an approver" } : null;
    },
    db,
  );
  if (!found || outcome.outcome === "waiting") return;
  const link = appLink(`/orgs/${principal.org!.slug}/orders/${outcome.order.id}`);
  await deliverMessage(found.email, orderDecidedMessage({ orderNumber: outcome.order.number, total: formatAmount(outcome.order.totalMinor, outcome.order.currency), outcome: outcome.outcome, deciderName: found.decider, comment: found.comment, link }));
}
