import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { approvalRules, branches, products } from "@/db/schema";
import type { Access } from "@/lib/access/access";
import { inheritedRoleIds } from "@/lib/access/role-graph";
import { findSupplier } from "@/lib/accounts/find-supplier";
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

/** The catalog categories of the products an order's lines were priced from. */
export async function categoriesOf(db: Executor, productIds: readonly string[]): Promise<string[]> {
  if (productIds.length === 0) return [];
  const supplier = await findSupplier(db);
  if (!supplier) return [];
  const rows = await db.selectDistinct({ category: products.category }).from(products).where(and(eq(products.orgId, supplier.id), inArray(products.id, [...productIds])));
  return rows.map((r) => r.category).filter(Boolean);
}
