import type { Access, EffectiveGrant } from "./access";
import type { Permission } from "./permissions";
import { permissionSource } from "./role-graph";
import { formatAmount } from "@/lib/accounts/money";

export interface GrantRef {
  grantId: string;
  roleName: string;
  branchId: string | null;
  /** "the whole organization" for a root grant. */
  branchName: string;
}

export type Explanation =
  | { allowed: true; permission: Permission; grant: GrantRef; via: string[]; conditions: string[] }
  | { allowed: false; permission: Permission; reason: string; elsewhere: GrantRef[] };

/** Where a grant is at a branch the asker may not read: it counts, but is not described. */
export const HIDDEN_BRANCH = "a part of the tree you cannot see";

export interface ExplainOptions {
  /**
   * Whether the one asking may read this grant (its branch). Others are not described: the
   * covering grant keeps only its role, and grants elsewhere are only counted. Default: all.
   */
  mayRead?: (grant: EffectiveGrant) => boolean;
}

/**
 * Why `permission` is allowed or denied on a target at `branchPath`: the grant that allows it and
 * the role chain that carries the permission (["Manager", "Buyer"]), or why nothing does,
 * naming the grants that carry the permission for other branches.
 */
export function explain(access: Access, permission: Permission, branchPath: string, options: ExplainOptions = {}): Explanation {
  const mayRead = options.mayRead ?? (() => true);
  if (access.kind === "system") {
    return { allowed: true, permission, grant: { grantId: "", roleName: "operator", branchId: null, branchName: "the whole organization" }, via: ["operator"], conditions: [] };
  }
  if (access.kind === "none") return { allowed: false, permission, reason: "Not an active member of this organization.", elsewhere: [] };
  const carrying = access.grants.filter((g) => g.permissions.has(permission));
  const refOf = (g: EffectiveGrant): GrantRef =>
    mayRead(g) ? { grantId: g.grantId, roleName: g.roleName, branchId: g.branchId, branchName: g.branchName ?? "the whole organization" } : { grantId: "", roleName: g.roleName, branchId: null, branchName: HIDDEN_BRANCH };
  // Prefer the broadest grant (shortest path) that covers the target: it is the one that matters.
  const covering = carrying.filter((g) => branchPath.startsWith(g.branchPath)).sort((a, b) => a.branchPath.length - b.branchPath.length)[0];
  if (covering) {
    const conditions: string[] = [];
    if (covering.expiresAt) conditions.push(`expires ${covering.expiresAt.toISOString()}`);
    if (permission === "orders:approve" && covering.approvalLimit) conditions.push(`approval limit ${formatAmount(covering.approvalLimit.amountMinor, covering.approvalLimit.currency)} ${covering.approvalLimit.currency}`);
    return { allowed: true, permission, grant: refOf(covering), via: permissionSource(access.roles, covering.roleId, permission) ?? [covering.roleName], conditions };
  }
  if (carrying.length === 0) {
    const roles = [...new Set(access.grants.map((g) => g.roleName))];
    return { allowed: false, permission, reason: roles.length ? `None of the member's roles (${roles.join(", ")}) includes ${permission}.` : "The member has no grants.", elsewhere: [] };
  }
  const readable = carrying.filter(mayRead);
  const hidden = carrying.length - readable.length;
  const named = [...readable.map((g) => `${g.branchName ?? "organization"} (${g.roleName})`), ...(hidden ? [`${hidden} more in parts of the tree you cannot see`] : [])];
  return { allowed: false, permission, reason: `${permission} is granted only for other parts of the branch tree: ${named.join(", ")}.`, elsewhere: readable.map(refOf) };
}
