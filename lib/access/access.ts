import type { Permission } from "./permissions";
import type { RoleGraph } from "./role-graph";

/** One grant as the gate sees it: a role's effective permissions over a branch subtree. */
export interface EffectiveGrant {
  grantId: string;
  roleId: string;
  roleName: string;
  /** null for the org root. */
  branchId: string | null;
  branchName: string | null;
  /** "" for the org root (covers everything), else the branch's materialized path. */
  branchPath: string;
  /** The role's own permissions and everything it inherits. */
  permissions: ReadonlySet<Permission>;
  expiresAt: Date | null;
  /** Condition on orders:approve: the largest total this grant may approve. */
  approvalLimit: { amountMinor: number; currency: string } | null;
}

/**
 * What a principal may do in one org, computed once per request from the database, so a revoked
 * grant or an edited role takes effect on the next request.
 */
export type Access = { kind: "system" } | { kind: "none" } | { kind: "grants"; grants: readonly EffectiveGrant[]; roles: RoleGraph };

export const noAccess: Access = { kind: "none" };
export const systemAccess: Access = { kind: "system" };

/** May the principal use `permission` on something at `branchPath` ("" = org-level target)? */
export function can(access: Access, permission: Permission, branchPath: string): boolean {
  if (access.kind === "system") return true;
  if (access.kind === "none") return false;
  return access.grants.some((g) => g.permissions.has(permission) && isWithin(branchPath, g.branchPath));
}

// A plain length check and slice compare: measurably cheaper than startsWith on these paths on
// the hot path of every check (bench/access.ts).
function isWithin(path: string, root: string): boolean {
  return path.length >= root.length && path.slice(0, root.length) === root;
}

/** Does the principal hold `permission` at any branch at all? (A cheap pre-check.) */
export function holdsAnywhere(access: Access, permission: Permission): boolean {
  if (access.kind === "system") return true;
  if (access.kind === "none") return false;
  return access.grants.some((g) => g.permissions.has(permission));
}

/** Every permission the principal holds at `branchPath` (from grants at it or above it). */
export function permissionsAt(access: Access, branchPath: string): Set<Permission> | "all" {
  if (access.kind === "system") return "all";
  const out = new Set<Permission>();
  if (access.kind === "grants") for (const g of access.grants) if (branchPath.startsWith(g.branchPath)) for (const p of g.permissions) out.add(p);
  return out;
}

/** Where `permission` applies, as the smallest set of subtree roots, for a SQL filter. */
export type Scope = { kind: "all" } | { kind: "none" } | { kind: "subtrees"; paths: string[] };

/** Does the scope cover a target at `path`? The in-memory twin of pathInScope (scope-condition.ts). */
export function scopeCovers(scope: Scope, path: string): boolean {
  return scope.kind === "all" || (scope.kind === "subtrees" && scope.paths.some((p) => isWithin(path, p)));
}

export function scopeOf(access: Access, permission: Permission): Scope {
  if (access.kind === "system") return { kind: "all" };
  if (access.kind === "none") return { kind: "none" };
  const paths = access.grants.filter((g) => g.permissions.has(permission)).map((g) => g.branchPath);
  if (paths.includes("")) return { kind: "all" };
  if (paths.length === 0) return { kind: "none" };
  // Drop subtrees already covered by an ancestor grant: fewer OR branches in the SQL.
  const roots = [...new Set(paths)].sort().filter((p, i, sorted) => !sorted.slice(0, i).some((q) => p.startsWith(q)));
  return { kind: "subtrees", paths: roots };
}
