import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { approvalRules, branches } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { pathInScope } from "@/lib/access/scope-condition";
import type { Principal } from "@/lib/core/context";
import { isUuid } from "@/lib/core/ids";
import type { ApprovalRule } from "./rule-schemas";

/**
 * The rules a member manages: those attached within their branches:manage scope (org-wide
 * rules only with it at the root). An org has few rules, so one bounded page of 500.
 */
export async function listApprovalRules(db: Executor, principal: Principal, ruleId?: string): Promise<ApprovalRule[]> {
  const orgId = principal.org?.id;
  if (!orgId || (ruleId !== undefined && !isUuid(ruleId))) return [];
  const scope = scopeOf(principal.access, "branches:manage");
  if (scope.kind === "none") return [];
  const inScope = scope.kind === "all" ? undefined : and(sql`${approvalRules.branchId} is not null`, pathInScope(branches.path, scope));
  const rows = await db
    .select({ rule: approvalRules, branchName: branches.name })
    .from(approvalRules)
    .leftJoin(branches, eq(branches.id, approvalRules.branchId))
    .where(and(eq(approvalRules.orgId, orgId), ruleId ? eq(approvalRules.id, ruleId) : undefined, inScope))
    .orderBy(asc(approvalRules.name), asc(approvalRules.id))
    .limit(500);
  return rows.map(({ rule, branchName }) => toApprovalRule(rule, branchName));
}

export function toApprovalRule(rule: typeof approvalRules.$inferSelect, branchName: string | null): ApprovalRule {
  return {
    id: rule.id,
    name: rule.name,
    branchId: rule.branchId,
    branchName,
    active: rule.active,
    overTotalMinor: rule.overTotalMinor,
    minLines: rule.minLines,
    skus: rule.skus,
    categories: rule.categories,
    requesterRoleIds: rule.requesterRoleIds,
    tiers: rule.tiers,
    selfApprovalLimits: rule.selfApprovalLimits,
    escalateAfterHours: rule.escalateAfterHours,
    version: rule.version,
    updatedAt: rule.updatedAt.toISOString(),
  };
}
