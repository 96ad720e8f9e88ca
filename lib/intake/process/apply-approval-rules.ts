import { and, eq } from "drizzle-orm";
import { approvalSteps, orders } from "@/db/schema";
import { convertToBaseMinor, loadAccountTerms, type AccountTerms } from "@/lib/accounts/account-terms";
import { loadRulesFor, rolesHeldAt } from "@/lib/approvals/load-rules";
import { matchRules, planSteps } from "@/lib/approvals/routing";
import type { Principal } from "@/lib/core/context";
import type { CommandTx } from "@/lib/core/command-tx";
import { ValidationError } from "@/lib/core/errors";
import { bumpVersion } from "@/lib/orders/order-draft-parts";

// Submission for an order that arrived through intake: the same rules, matched the same way as a
// buyer's submission (lib/orders/submit-order.ts), on the lines as stored, free-text lines included (a
// buyer's submission re-prices from the catalog, which a free-text line is not in). None matches: the
// order is approved; else the first tier waits.

export type ApprovalLine = { sku: string; totalMinor: number; category: string | null };

export type RoutedOrder = { status: "approved" | "submitted"; baseTotalMinor: number; baseCurrency: string; steps: ReturnType<typeof planSteps>; rules: Array<{ id: string; name: string }> };

/** The rules' verdict for these lines at this branch, before anything is written (the order row can then be written once). */
export async function routeOrder(
  tx: CommandTx,
  principal: Principal,
  order: { orgId: string; branchPath: string; currency: string },
  lines: readonly ApprovalLine[],
  loaded?: { terms: AccountTerms | null },
): Promise<RoutedOrder> {
  const [terms, rules] = await Promise.all([loaded ? loaded.terms : loadAccountTerms(tx, order.orgId), loadRulesFor(tx, order.orgId, order.branchPath)]);
  const subtotalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
  const baseTotalMinor = terms ? convertToBaseMinor(terms, subtotalMinor, order.currency) : null;
  if (!terms || baseTotalMinor === null) throw new ValidationError({ currency: [`${order.currency} is not a currency this account uses`] });
  const matches = matchRules(rules, {
    branchPath: order.branchPath,
    baseTotalMinor,
    baseCurrency: terms.baseCurrency,
    lineCount: lines.length,
    skus: lines.map((l) => l.sku),
    categories: [...new Set(lines.map((l) => l.category).filter((c): c is string => !!c))],
    requesterRoleIds: rolesHeldAt(principal.access, order.branchPath),
  });
  const steps = planSteps(matches);
  return { status: steps.length === 0 ? "approved" : "submitted", baseTotalMinor, baseCurrency: terms.baseCurrency, steps, rules: matches.filter((m) => m.matched).map((m) => ({ id: m.rule.id, name: m.rule.name })) };
}

/** The routed order's approval steps, the first tier waiting; answers the waiting steps' ids. */
export async function insertApprovalSteps(tx: CommandTx, order: { id: string; orgId: string; branchId: string }, steps: RoutedOrder["steps"]): Promise<string[]> {
  if (steps.length === 0) return [];
  const inserted = await tx
    .insert(approvalSteps)
    .values(steps.map((s) => ({ orgId: order.orgId, orderId: order.id, ruleId: s.ruleId, ruleName: s.ruleName, tierNo: s.tierNo, groupNo: s.groupNo, roleIds: s.roleIds, selfApprovalLimits: s.selfApprovalLimits, escalateAfterHours: s.escalateAfterHours, levelBranchId: order.branchId, waitingSince: s.tierNo === 1 ? new Date() : null })))
    .returning({ id: approvalSteps.id, tierNo: approvalSteps.tierNo });
  return inserted.filter((s) => s.tierNo === 1).map((s) => s.id);
}

/** For an order already stored (an update): routes it, withdraws the old steps, sets the status, adds the new steps. */
export async function applyApprovalRules(
  tx: CommandTx,
  principal: Principal,
  order: { id: string; orgId: string; branchId: string; branchPath: string; currency: string },
  lines: readonly ApprovalLine[],
): Promise<{ status: "approved" | "submitted"; baseTotalMinor: number; rules: Array<{ id: string; name: string }>; waitingStepIds: string[] }> {
  const routed = await routeOrder(tx, principal, order, lines);
  // Steps of an earlier submission (an update of a submitted order) no longer apply to these lines.
  await tx.update(approvalSteps).set({ status: "withdrawn" }).where(and(eq(approvalSteps.orgId, order.orgId), eq(approvalSteps.orderId, order.id), eq(approvalSteps.status, "pending")));
  await tx
    .update(orders)
    .set({ status: routed.status, baseTotalMinor: routed.baseTotalMinor, baseCurrency: routed.baseCurrency, submittedAt: new Date(), placedAt: new Date(), ...bumpVersion() })
    .where(and(eq(orders.orgId, order.orgId), eq(orders.id, order.id)));
  const waitingStepIds = await insertApprovalSteps(tx, order, routed.steps);
  return { status: routed.status, baseTotalMinor: routed.baseTotalMinor, rules: routed.rules, waitingStepIds };
}
