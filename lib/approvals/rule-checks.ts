import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { roles } from "@/db/schema";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { ValidationError, type FieldErrors } from "@/lib/core/errors";

/**
 * Every role a rule names must be one of the org's, and an approver role must carry
 * orders:approve: a tier asking for a role that cannot approve could never be passed.
 */
export async function assertRuleRoles(db: Executor, orgId: string, rule: { tiers?: string[][][]; requesterRoleIds?: string[]; selfApprovalLimits?: Record<string, number> }): Promise<void> {
  const named = [...(rule.tiers ?? []).flat(2), ...(rule.requesterRoleIds ?? []), ...Object.keys(rule.selfApprovalLimits ?? {})];
  if (named.length === 0) return;
  const found = new Set((await db.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), inArray(roles.id, [...new Set(named)])))).map((r) => r.id));
  const graph = await loadRoleGraph(db, orgId);
  const errors: FieldErrors = {};
  const add = (field: string, reason: string) => (errors[field] ??= []).push(reason);
  rule.tiers?.forEach((tier, t) =>
    tier.forEach((group, g) =>
      group.forEach((id, r) => {
        if (!found.has(id)) add(`tiers.${t}.${g}.${r}`, "is not a role of this organization");
        else if (!effectivePermissions(graph, id).has("orders:approve")) add(`tiers.${t}.${g}.${r}`, `${graph.get(id)?.name ?? "this role"} does not carry orders:approve, so it could never approve`);
      }),
    ),
  );
  rule.requesterRoleIds?.forEach((id, i) => {
    if (!found.has(id)) add(`requesterRoleIds.${i}`, "is not a role of this organization");
  });
  for (const id of Object.keys(rule.selfApprovalLimits ?? {})) if (!found.has(id)) add(`selfApprovalLimits.${id}`, "is not a role of this organization");
  if (Object.keys(errors).length) throw new ValidationError(errors);
}
