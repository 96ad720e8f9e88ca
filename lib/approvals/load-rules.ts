import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { approvalRules, branches } from "@/db/schema";
import type { Access } from "@/lib/access/access";
import { inheritedRoleIds } from "@/lib/access/role-graph";
import { isWithinPath, type RuleForRouting } from "./routing";

/**
 * The org's rules that apply at a branch path: those at the root and at the branch or any of
 * its ancestors (a materialized path's prefixes are exactly its ancestors' paths).
 */
export async function loadRulesFor(db: Executor, orgId: string, branchPath: string): Promise<RuleForRouting[]> {
  const rows = await db
    .select({ rule: approvalRules, branchPath: branches.path, branchName: branches.name })
    .from(approvalRules)
    .leftJoin(branches, eq(branches.id, approvalRules.branchId))
    .where(eq(approvalRules.orgId, orgId));
  return rows.map((r) => toRouting(r.rule, r.branchPath ?? "", r.branchName)).filter((r) => isWithinPath(branchPath, r.branchPath));
}

export function toRouting(rule: typeof approvalRules.$inferSelect, branchPath: string, branchName: string | null): RuleForRouting {
  return {
    id: rule.id,
    name: rule.name,
    branchPath,
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
  };
}

/** The roles a member holds at a branch, inherited ones included (for requester-role conditions). */
export function rolesHeldAt(access: Access, branchPath: string): string[] {
  if (access.kind !== "grants") return [];
  const out = new Set<string>();
  for (const g of access.grants) if (isWithinPath(branchPath, g.branchPath)) for (const id of inheritedRoleIds(access.roles, g.roleId)) out.add(id);
  return [...out];
}

/** The catalog categories of an order's priced lines, each once. */
export function categoriesOf(lines: ReadonlyArray<{ category: string | null }>): string[] {
  return [...new Set(lines.map((l) => l.category).filter((c): c is string => Boolean(c)))];
}
