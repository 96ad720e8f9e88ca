import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, grants, memberships } from "@/db/schema";
import type { Access } from "./access";
import { accessFromRows } from "./access-from-rows";
import { loadRoleGraph } from "./load-role-graph";

/**
 * A member's live access in one org: their unexpired grants, each with the effective permissions
 * of its role (inheritance included) over its branch's subtree. Loaded for every request, so a
 * revoked grant or an edited role takes effect on the next one.
 */
export async function loadAccess(db: Executor, membershipId: string): Promise<Access> {
  const rows = await db
    .select({
      grantId: grants.id,
      orgId: grants.orgId,
      roleId: grants.roleId,
      branchId: grants.branchId,
      branchPath: branches.path,
      branchName: branches.name,
      expiresAt: grants.expiresAt,
      approvalLimitMinor: grants.approvalLimitMinor,
      approvalLimitCurrency: grants.approvalLimitCurrency,
    })
    .from(grants)
    .innerJoin(memberships, eq(memberships.id, grants.membershipId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.membershipId, membershipId), eq(memberships.status, "active"), or(isNull(grants.expiresAt), gt(grants.expiresAt, sql`now()`))));
  if (rows.length === 0) return accessFromRows([], new Map());
  return accessFromRows(rows, await loadRoleGraph(db, rows[0]!.orgId));
}
