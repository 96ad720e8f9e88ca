import { allPermissions, permissionCatalog, type Permission } from "./permissions";

export const adminClassPermissions: readonly Permission[] = allPermissions.filter((p) => permissionCatalog[p].adminClass);

/** Whether a set of permissions includes one that requires MFA of whoever holds it. */
export function includesAdminClass(permissions: Iterable<Permission>): boolean {
  for (const p of permissions) if (permissionCatalog[p].adminClass) return true;
  return false;
}
