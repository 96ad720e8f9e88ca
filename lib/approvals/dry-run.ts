import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { orderLines, orders } from "@/db/schema";
import { can } from "@/lib/access/access";
import { convertToBaseMinor, loadAccountTerms } from "@/lib/accounts/account-terms";
import { findBranch } from "@/lib/branches/find-branch";
import { priceOrderLines } from "@/lib/catalog/price-order-lines";
import { actorUserId, type Principal } from "@/lib/core/context";
import { NotFoundError, ValidationError } from "@/lib/core/errors";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { listEligibleApprovers, type EligibleApprover } from "./eligible-approvers";
import { limitToBaseWith } from "./limit-to-base";
import { categoriesOf, loadRulesFor, rolesHeldAt } from "./load-rules";
import { matchRules, planSteps } from "./routing";
import { visibleOrdersCondition } from "@/lib/orders/order-scope";

export interface DryRun {
  branchId: string;
  currency: string;
  totalMinor: number;
  baseTotalMinor: number;
  baseCurrency: string;
  outcome: "approved" | "waiting";
  rules: Array<{ id: string; name: string; matched: boolean; reasons: string[] }>;
  tiers: Array<{ tier: number; groups: Array<{ rule: string; roles: string[]; eligibleApprovers: EligibleApprover[] }> }>;
}

/**
 * How an order would be routed, and why, without writing anything: for a draft (its own lines)
 * or for lines at a branch, as the caller would submit them. Needs orders:create at the branch
 * (a buyer checking their draft) or branches:manage there (someone writing rules).
 */
export async function dryRunRouting(db: Executor, principal: Principal, input: { orderId: string } | { branchId: string; lines: Array<{ sku: string; quantity: number }>; currency?: string }): Promise<DryRun> {
  const orgId = principal.org?.id;
  if (!orgId) throw new NotFoundError("Organization");
  let branchId: string;
  let lines: Array<{ sku: string; quantity: number }>;
  let currency: string | undefined;
  let buyerId = actorUserId(principal.actor) ?? "";
  if ("orderId" in input) {
    const [order] = await db.select().from(orders).where(and(eq(orders.id, input.orderId), visibleOrdersCondition(principal)));
    if (!order) throw new NotFoundError("Order");
    branchId = order.branchId;
    currency = order.currency;
    buyerId = order.buyerId;
    lines = await db.select({ sku: orderLines.sku, quantity: orderLines.quantity }).from(orderLines).where(and(eq(orderLines.orgId, orgId), eq(orderLines.orderId, order.id)));
  } else {
    ({ branchId, lines, currency } = input);
  }
  const branch = await findBranch(db, orgId, branchId);
  const what = "orderId" in input ? "Order" : "Branch";
  if (!branch || !(can(principal.access, "orders:create", branch.path) || can(principal.access, "branches:manage", branch.path))) throw new NotFoundError(what);
  const terms = await loadAccountTerms(db, orgId);
  const priced = await priceOrderLines(db, { accountOrgId: orgId, currency: currency ?? terms?.baseCurrency ?? "USD", lines });
  const baseTotalMinor = terms ? convertToBaseMinor(terms, priced.subtotalMinor, priced.currency) : null;
  if (!terms || baseTotalMinor === null) throw new ValidationError({ currency: ["is not a currency this account uses"] });
  const matches = matchRules(await loadRulesFor(db, orgId, branch.path), {
    branchPath: branch.path,
    baseTotalMinor,
    baseCurrency: terms.baseCurrency,
    lineCount: priced.lines.length,
    skus: priced.lines.map((l) => l.sku),
    categories: categoriesOf(priced.lines),
    requesterRoleIds: rolesHeldAt(principal.access, branch.path),
  });
  const steps = planSteps(matches);
  const graph = await loadRoleGraph(db, orgId);
  const limitToBase = limitToBaseWith(terms);
  const tiers: DryRun["tiers"] = [];
  for (const step of steps) {
    let tier = tiers.find((t) => t.tier === step.tierNo);
    if (!tier) tiers.push((tier = { tier: step.tierNo, groups: [] }));
    const eligibleApprovers = await listEligibleApprovers(db, orgId, { roleIds: step.roleIds, selfApprovalLimits: step.selfApprovalLimits, levelPath: branch.path }, { branchPath: branch.path, buyerId, baseTotalMinor }, limitToBase);
    tier.groups.push({ rule: step.ruleName, roles: step.roleIds.map((id) => graph.get(id)?.name ?? "(deleted role)"), eligibleApprovers });
  }
  return {
    branchId: branch.id,
    currency: priced.currency,
    totalMinor: priced.subtotalMinor,
    baseTotalMinor,
    baseCurrency: terms.baseCurrency,
    outcome: steps.length ? "waiting" : "approved",
    rules: matches.map((m) => ({ id: m.rule.id, name: m.rule.name, matched: m.matched, reasons: m.reasons })),
    tiers,
  };
}
