import { allPermissions, permissionCatalog, type Permission } from "./permissions";
import { effectivePermissions, inheritedRoleIds, type RoleGraph } from "./role-graph";

export const adminClassPermissions: readonly Permission[] = allPermissions.filter((p) => permissionCatalog[p].adminClass);

/** Whether a set of permissions includes one that requires MFA of whoever holds it. */
export function includesAdminClass(permissions: Iterable<Permission>): boolean {
  for (const p of permissions) if (permissionCatalog[p].adminClass) return true;
  return false;
}

/** Whether going from `before` to `after` adds an admin-class permission. */
export function gainsAdminClass(before: ReadonlySet<Permission>, after: Iterable<Permission>): boolean {
  for (const p of after) if (permissionCatalog[p].adminClass && !before.has(p)) return true;
  return false;
}

/**
 * The roles whose effective permissions gain an admin-class permission when the role graph goes
 * from `before` to `after` by editing `roleId`: the role itself, and every role inheriting it.
 */
export function rolesGainingAdminClass(before: RoleGraph, after: RoleGraph, roleId: string): string[] {
  return [...after.keys()].filter((id) => inheritedRoleIds(after, id).includes(roleId) && gainsAdminClass(effectivePermissions(before, id), effectivePermissions(after, id)));
}
