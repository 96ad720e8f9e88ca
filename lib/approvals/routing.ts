import type { Access, EffectiveGrant } from "@/lib/access/access";
import { formatAmount } from "@/lib/accounts/money";
import { inheritedRoleIds, type RoleGraph } from "@/lib/access/role-graph";

/**
 * The approval engine's pure core: which rules match an order, the steps they make, who may
 * decide a step, and where escalation goes. No database here, so the property tests
 * (tests/unit/approval-routing.test.ts) can drive it with any input.
 */

export interface RuleForRouting {
  id: string;
  name: string;
  /** "" for a rule at the org root, else its branch's materialized path. */
  branchPath: string;
  branchName: string | null;
  active: boolean;
  overTotalMinor: number | null;
  minLines: number | null;
  skus: readonly string[];
  categories: readonly string[];
  requesterRoleIds: readonly string[];
  tiers: readonly (readonly (readonly string[])[])[];
  selfApprovalLimits: Readonly<Record<string, number>>;
  escalateAfterHours: number | null;
}

export interface OrderFacts {
  branchPath: string;
  /** The total in the account's base currency. */
  baseTotalMinor: number;
  baseCurrency: string;
  lineCount: number;
  skus: readonly string[];
  categories: readonly string[];
  /** Roles the requester holds at the order's branch (inherited ones included). */
  requesterRoleIds: readonly string[];
}

export interface RuleMatch {
  rule: RuleForRouting;
  matched: boolean;
  /** One sentence per condition: why it held or did not. */
  reasons: string[];
}

/** Is `path` at or below `root`? ("" is the org root and covers everything.) */
export function isWithinPath(path: string, root: string): boolean {
  return path.startsWith(root);
}

/** Evaluates every rule that applies at the order's branch (its own and its ancestors'). */
export function matchRules(rules: readonly RuleForRouting[], order: OrderFacts): RuleMatch[] {
  return rules
    .filter((r) => isWithinPath(order.branchPath, r.branchPath))
    .sort((a, b) => a.branchPath.length - b.branchPath.length || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((rule) => matchRule(rule, order));
}

function matchRule(rule: RuleForRouting, order: OrderFacts): RuleMatch {
  const reasons: string[] = [];
  let matched = true;
  const check = (holds: boolean, yes: string, no: string) => {
    reasons.push(holds ? yes : no);
    if (!holds) matched = false;
  };
  reasons.push(rule.branchPath === "" ? "applies to the whole organization" : `applies at ${rule.branchName ?? "its branch"} and below`);
  if (!rule.active) check(false, "", "is inactive");
  if (rule.overTotalMinor !== null) {
    const total = `${formatAmount(order.baseTotalMinor, order.baseCurrency)} ${order.baseCurrency}`;
    const over = `${formatAmount(rule.overTotalMinor, order.baseCurrency)} ${order.baseCurrency}`;
    check(order.baseTotalMinor > rule.overTotalMinor, `total ${total} is over ${over}`, `total ${total} is not over ${over}`);
  }
  if (rule.minLines !== null) check(order.lineCount >= rule.minLines, `${order.lineCount} lines, at least ${rule.minLines}`, `${order.lineCount} lines, fewer than ${rule.minLines}`);
  if (rule.skus.length > 0) {
    const wanted = new Set(rule.skus.map((s) => s.toLowerCase()));
    const hit = order.skus.filter((s) => wanted.has(s.toLowerCase()));
    check(hit.length > 0, `orders SKU ${hit.join(", ")}`, `orders none of the SKUs ${rule.skus.join(", ")}`);
  }
  if (rule.categories.length > 0) {
    const wanted = new Set(rule.categories.map((s) => s.toLowerCase()));
    const hit = order.categories.filter((c) => wanted.has(c.toLowerCase()));
    check(hit.length > 0, `orders from category ${hit.join(", ")}`, `orders from none of the categories ${rule.categories.join(", ")}`);
  }
  if (rule.requesterRoleIds.length > 0) {
    const held = new Set(order.requesterRoleIds);
    check(rule.requesterRoleIds.some((r) => held.has(r)), "the requester holds one of the rule's requester roles", "the requester holds none of the rule's requester roles");
  }
  return { rule, matched, reasons };
}

export interface PlannedStep {
  ruleId: string;
  ruleName: string;
  tierNo: number;
  groupNo: number;
  roleIds: string[];
  selfApprovalLimits: Record<string, number>;
  escalateAfterHours: number | null;
}

/**
 * The steps of the matched rules: tier n of every matched rule is the order's tier n, so a
 * rule's tiers stay in their order; within a tier a group asked by two rules is asked once
 * (the first rule's name, the stricter self-approval limits, the shorter escalation period).
 */
export function planSteps(matches: readonly RuleMatch[]): PlannedStep[] {
  const steps: PlannedStep[] = [];
  for (const { rule, matched } of matches) {
    if (!matched) continue;
    rule.tiers.forEach((tier, t) => {
      for (const group of tier) {
        const roleIds = [...new Set(group)].sort();
        if (roleIds.length === 0) continue;
        const key = roleIds.join(",");
        const same = steps.find((s) => s.tierNo === t + 1 && s.roleIds.join(",") === key);
        if (same) {
          same.selfApprovalLimits = stricterLimits(same.selfApprovalLimits, rule.selfApprovalLimits);
          same.escalateAfterHours = shorter(same.escalateAfterHours, rule.escalateAfterHours);
          continue;
        }
        steps.push({ ruleId: rule.id, ruleName: rule.name, tierNo: t + 1, groupNo: steps.filter((s) => s.tierNo === t + 1).length + 1, roleIds, selfApprovalLimits: { ...rule.selfApprovalLimits }, escalateAfterHours: rule.escalateAfterHours });
      }
    });
  }
  // Tiers are numbered without gaps, whatever rules contributed.
  return steps.sort((a, b) => a.tierNo - b.tierNo || a.groupNo - b.groupNo);
}

function stricterLimits(a: Record<string, number>, b: Readonly<Record<string, number>>): Record<string, number> {
  // A role may self-approve only where both rules allow it, up to the smaller limit.
  const out: Record<string, number> = {};
  for (const role of Object.keys(a)) if (Object.hasOwn(b, role)) out[role] = Math.min(a[role]!, b[role]!);
  return out;
}

function shorter(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

export interface StepForDecision {
  roleIds: readonly string[];
  selfApprovalLimits: Readonly<Record<string, number>>;
  /** Who is asked: "" for the org root, else the escalation level's path. */
  levelPath: string;
}

export interface OrderForDecision {
  branchPath: string;
  buyerId: string;
  baseTotalMinor: number;
}

/** Converts an approval limit to the account's base currency, or null when it cannot be. */
export type LimitToBase = (limit: { amountMinor: number; currency: string }) => number | null;

export type Eligibility = { eligible: true; grant: EffectiveGrant; roleId: string; self: boolean } | { eligible: false; reason: string };

/**
 * May this approver decide this step? They need a grant that carries orders:approve, covers the
 * order's branch and the step's level, is (or inherits) one of the step's roles, and has an
 * approval limit at or above the total (no limit on the grant: no ceiling). Their own order only
 * when one of those roles has a self-approval limit at or above the total.
 */
export function checkEligibility(access: Access, approverId: string, step: StepForDecision, order: OrderForDecision, limitToBase: LimitToBase): Eligibility {
  if (access.kind !== "grants") return { eligible: false, reason: "only a member can approve" };
  const self = approverId === order.buyerId;
  let reason = "holds orders:approve at neither the order's branch nor above it";
  for (const grant of access.grants) {
    if (!grant.permissions.has("orders:approve") || !isWithinPath(order.branchPath, grant.branchPath)) continue;
    if (!isWithinPath(step.levelPath, grant.branchPath)) {
      reason = "the approval has been escalated above this approver's branch";
      continue;
    }
    const roleId = matchingRole(access.roles, grant.roleId, step.roleIds);
    if (!roleId) {
      reason = "holds none of the roles this tier asks for";
      continue;
    }
    if (grant.approvalLimit) {
      const limit = limitToBase(grant.approvalLimit);
      if (limit === null) {
        reason = `the approval limit is in ${grant.approvalLimit.currency}, a currency this account does not use`;
        continue;
      }
      if (limit < order.baseTotalMinor) {
        reason = `the approval limit (${limit}) is below the order's total (${order.baseTotalMinor})`;
        continue;
      }
    }
    if (self) {
      const selfLimit = step.selfApprovalLimits[roleId];
      if (selfLimit === undefined || selfLimit < order.baseTotalMinor) {
        reason = "nobody approves their own order (no self-approval limit of this role covers the total)";
        continue;
      }
    }
    return { eligible: true, grant, roleId, self };
  }
  return { eligible: false, reason };
}

function matchingRole(graph: RoleGraph, grantRoleId: string, wanted: readonly string[]): string | null {
  const held = new Set(graph.size ? inheritedRoleIds(graph, grantRoleId) : [grantRoleId]);
  return wanted.find((r) => held.has(r)) ?? null;
}

/**
 * One level up the tree from `levelPath` ("/a/b/" → "/a/", "/a/" → ""), or null at the root:
 * escalation always ends there.
 */
export function escalateLevel(levelPath: string): string | null {
  if (levelPath === "") return null;
  const segments = levelPath.split("/").filter(Boolean);
  return segments.length <= 1 ? "" : `/${segments.slice(0, -1).join("/")}/`;
}

/** The branch id a level path names (its last segment), or null for the root. */
export function levelBranchId(levelPath: string): string | null {
  const segments = levelPath.split("/").filter(Boolean);
  return segments.length ? segments[segments.length - 1]! : null;
}

export type StepStatus = "pending" | "approved" | "rejected" | "withdrawn";
export type OrderOutcome = "approved" | "rejected" | "waiting";

/**
 * An order's state from its steps: one rejection rejects, whatever else happened; every step
 * approved approves; else it waits. (Once rejected, no later approval can change this.)
 */
export function outcomeOf(steps: readonly { status: StepStatus }[]): OrderOutcome {
  if (steps.some((s) => s.status === "rejected")) return "rejected";
  if (steps.every((s) => s.status === "approved")) return "approved";
  return "waiting";
}

/** The tier now waiting: the lowest with a pending step, or null when none waits. */
export function currentTier(steps: readonly { tierNo: number; status: StepStatus }[]): number | null {
  const pending = steps.filter((s) => s.status === "pending").map((s) => s.tierNo);
  return pending.length ? Math.min(...pending) : null;
}

/**
 * One decision applied to an order's steps: the step takes the decision, and a rejection
 * withdraws whatever still waits. A step already decided or withdrawn never changes, so a
 * rejected order can never become approved (tests/unit/approval-routing.test.ts).
 */
export function applyDecision<S extends { id: string; status: StepStatus }>(steps: readonly S[], stepId: string, decision: "approved" | "rejected"): S[] {
  const target = steps.find((s) => s.id === stepId);
  if (!target || target.status !== "pending") return [...steps];
  return steps.map((s) => {
    if (s.id === stepId) return { ...s, status: decision };
    if (decision === "rejected" && s.status === "pending") return { ...s, status: "withdrawn" as StepStatus };
    return s;
  });
}
