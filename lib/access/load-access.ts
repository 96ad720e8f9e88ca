import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, grants, memberships, roles } from "@/db/schema";
import type { Access, EffectiveGrant } from "./access";
import { isPermission, type Permission } from "./permissions";

/** Loads a member's live grants in one org; inactive memberships and expired grants give nothing. */
export async function loadAccess(db: Executor, membershipId: string): Promise<Access> {
  const rows = await db
    .select({ grantId: grants.id, roleName: roles.name, permissions: roles.permissions, branchPath: branches.path })
    .from(grants)
    .innerJoin(memberships, eq(memberships.id, grants.membershipId))
    .innerJoin(roles, eq(roles.id, grants.roleId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.membershipId, membershipId), eq(memberships.status, "active"), or(isNull(grants.expiresAt), gt(grants.expiresAt, sql`now()`))));
  const effective: EffectiveGrant[] = rows.map((r) => ({
    grantId: r.grantId,
    roleName: r.roleName,
    branchPath: r.branchPath ?? "",
    permissions: new Set(r.permissions.filter(isPermission) as Permission[]),
  }));
  return { kind: "grants", grants: effective };
}
