import type { Access } from "@/lib/access/access";
import { checkEligibility, isWithinPath, type LimitToBase, type OrderForDecision, type StepForDecision } from "./routing";

export interface Delegator {
  userId: string;
  name: string;
  access: Access;
}

export type DelegateEligibility = { eligible: true; delegatorId: string } | { eligible: false; reason: string };

/**
 * May `delegateId` decide this step for the delegator? Only when both hold: the delegator is
 * eligible for it (the step's roles, their scope, their limit, not their order) and the delegate
 * stands on their own: orders:approve over the order's branch and the step's level, an approval
 * limit at or above the total, and never their own order. So a delegation lends the delegator's
 * role for the tier, never a branch or an amount the delegate could not approve themselves.
 */
export function checkDelegateEligibility(delegateAccess: Access, delegateId: string, delegator: Delegator, step: StepForDecision, order: OrderForDecision, limitToBase: LimitToBase): DelegateEligibility {
  if (delegateId === order.buyerId) return { eligible: false, reason: "nobody approves their own order, for anyone" };
  if (delegator.userId === delegateId) return { eligible: false, reason: "a delegation to oneself lends nothing" };
  const theirs = checkEligibility(delegator.access, delegator.userId, step, order, limitToBase);
  if (!theirs.eligible) return { eligible: false, reason: `${delegator.name} could not decide it either (${theirs.reason})` };
  const standing = checkOwnStanding(delegateAccess, step, order, limitToBase);
  if (standing) return { eligible: false, reason: `as ${delegator.name}'s delegate: ${standing}` };
  return { eligible: true, delegatorId: delegator.userId };
}

/** Null when some grant of the delegate carries orders:approve over the order and the level with a sufficient limit; else why not. */
function checkOwnStanding(access: Access, step: StepForDecision, order: OrderForDecision, limitToBase: LimitToBase): string | null {
  if (access.kind !== "grants") return "only a member can approve";
  let reason = "holds orders:approve at neither the order's branch nor above it";
  for (const grant of access.grants) {
    if (!grant.permissions.has("orders:approve") || !isWithinPath(order.branchPath, grant.branchPath)) continue;
    if (!isWithinPath(step.levelPath, grant.branchPath)) {
      reason = "the approval has been escalated above this approver's branch";
      continue;
    }
    if (grant.approvalLimit) {
      const limit = limitToBase(grant.approvalLimit);
      if (limit === null || limit < order.baseTotalMinor) {
        reason = limit === null ? `the approval limit is in ${grant.approvalLimit.currency}, a currency this account does not use` : `the approval limit (${limit}) is below the order's total (${order.baseTotalMinor})`;
        continue;
      }
    }
    return null;
  }
  return reason;
}

/** Does some orders:approve grant of one access overlap (contain, or lie within) one of the other's? */
export function approveScopesOverlap(a: Access, b: Access): boolean {
  if (a.kind === "system" || b.kind === "system") return a.kind === b.kind;
  if (a.kind !== "grants" || b.kind !== "grants") return false;
  const paths = (x: typeof a) => x.grants.filter((g) => g.permissions.has("orders:approve")).map((g) => g.branchPath);
  const theirs = paths(b);
  return paths(a).some((p) => theirs.some((q) => isWithinPath(p, q) || isWithinPath(q, p)));
}
