import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, grants, memberships, users } from "@/db/schema";
import type { Access, EffectiveGrant } from "@/lib/access/access";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { checkEligibility, type LimitToBase, type OrderForDecision, type StepForDecision } from "./routing";

export interface EligibleApprover {
  userId: string;
  name: string;
  email: string;
}

/**
 * The members who may decide a step (the same check as a decision: checkEligibility), for the
 * dry run and for mail. Reads only grants whose role carries orders:approve; at most `max`.
 */
export async function listEligibleApprovers(db: Executor, orgId: string, step: StepForDecision, order: OrderForDecision, limitToBase: LimitToBase, max = 50): Promise<EligibleApprover[]> {
  const graph = await loadRoleGraph(db, orgId);
  const approverRoles = [...graph.keys()].filter((id) => effectivePermissions(graph, id).has("orders:approve"));
  if (approverRoles.length === 0) return [];
  const rows = await db
    .select({
      grantId: grants.id,
      roleId: grants.roleId,
      branchId: grants.branchId,
      branchPath: branches.path,
      branchName: branches.name,
      expiresAt: grants.expiresAt,
      approvalLimitMinor: grants.approvalLimitMinor,
      approvalLimitCurrency: grants.approvalLimitCurrency,
      userId: users.id,
      name: users.name,
      email: users.email,
    })
    .from(grants)
    .innerJoin(memberships, eq(memberships.id, grants.membershipId))
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.orgId, orgId), eq(memberships.status, "active"), inArray(grants.roleId, approverRoles), or(isNull(grants.expiresAt), gt(grants.expiresAt, sql`now()`))))
    .limit(5000);
  const byUser = new Map<string, { person: EligibleApprover; grants: EffectiveGrant[] }>();
  for (const r of rows) {
    const entry = byUser.get(r.userId) ?? { person: { userId: r.userId, name: r.name, email: r.email }, grants: [] };
    entry.grants.push({
      grantId: r.grantId,
      roleId: r.roleId,
      roleName: graph.get(r.roleId)?.name ?? "",
      branchId: r.branchId,
      branchName: r.branchName,
      branchPath: r.branchPath ?? "",
      permissions: effectivePermissions(graph, r.roleId),
      expiresAt: r.expiresAt,
      approvalLimit: r.approvalLimitMinor != null && r.approvalLimitCurrency ? { amountMinor: r.approvalLimitMinor, currency: r.approvalLimitCurrency } : null,
    });
    byUser.set(r.userId, entry);
  }
  const out: EligibleApprover[] = [];
  for (const { person, grants: held } of byUser.values()) {
    const access: Access = { kind: "grants", grants: held, roles: graph };
    if (checkEligibility(access, person.userId, step, order, limitToBase).eligible) out.push(person);
    if (out.length >= max) break;
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
