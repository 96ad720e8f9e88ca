import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, grants, roles } from "@/db/schema";
import { can, scopeCovers, scopeOf } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { isUuid } from "@/lib/core/ids";

export interface MemberGrant {
  id: string;
  roleId: string;
  roleName: string;
  branchId: string | null;
  /** "the whole organization" for a root grant. */
  branchName: string;
  expiresAt: string | null;
  expired: boolean;
  approvalLimit: { amountMinor: number; currency: string } | null;
  /** users:manage at the grant's branch, and not the principal's own grant (the server checks again). */
  canRevoke: boolean;
}

export interface MemberGrants {
  grants: MemberGrant[];
  /** Grants of this member at branches the principal cannot read: counted, never described. */
  hiddenCount: number;
}

/** A person holds a handful of grants; the cap only guards against a runaway import. */
const GRANT_LIMIT = 500;

/**
 * A member's grants in the principal's org, limited to branches where the principal holds
 * users:read (all of them for one's own grants).
 */
export async function listMemberGrants(db: Executor, principal: Principal, membershipId: string): Promise<MemberGrants> {
  const orgId = principal.org?.id;
  if (!orgId || !isUuid(membershipId)) return { grants: [], hiddenCount: 0 };
  const rows = await db
    .select({
      id: grants.id,
      roleId: grants.roleId,
      roleName: roles.name,
      branchId: grants.branchId,
      branchName: branches.name,
      branchPath: branches.path,
      expiresAt: grants.expiresAt,
      approvalLimitMinor: grants.approvalLimitMinor,
      approvalLimitCurrency: grants.approvalLimitCurrency,
    })
    .from(grants)
    .innerJoin(roles, eq(roles.id, grants.roleId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.orgId, orgId), eq(grants.membershipId, membershipId)))
    .orderBy(asc(branches.path), asc(roles.name))
    .limit(GRANT_LIMIT);
  const self = principal.membershipId === membershipId;
  const scope = scopeOf(principal.access, "users:read");
  const readable = (path: string) => self || scopeCovers(scope, path);
  const now = Date.now();
  const visible = rows
    .filter((r) => readable(r.branchPath ?? ""))
    .map((r) => ({
      id: r.id,
      roleId: r.roleId,
      roleName: r.roleName,
      branchId: r.branchId,
      branchName: r.branchName ?? "the whole organization",
      expiresAt: r.expiresAt?.toISOString() ?? null,
      expired: r.expiresAt ? r.expiresAt.getTime() <= now : false,
      approvalLimit: r.approvalLimitMinor != null && r.approvalLimitCurrency ? { amountMinor: r.approvalLimitMinor, currency: r.approvalLimitCurrency } : null,
      canRevoke: !self && can(principal.access, "users:manage", r.branchPath ?? ""),
    }));
  return { grants: visible, hiddenCount: rows.length - visible.length };
}
