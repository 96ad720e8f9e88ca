import { can, type Access } from "@/lib/access/access";
import { checkRoleEdit } from "@/lib/access/delegation";
import { allPermissions, permissionCatalog, type Permission } from "@/lib/access/permissions";
import { wouldCreateCycle, type RoleNode } from "@/lib/access/role-graph";
import type { RoleSummary } from "@/lib/roles/list-roles";

export interface PermissionOption {
  key: Permission;
  description: string;
  adminClass: boolean;
  group: string;
  /** Why the editor may not tick it; absent when they may. */
  disabledReason?: string;
}

export interface InheritOption {
  id: string;
  name: string;
  disabledReason?: string;
}

const groupLabels: Record<string, string> = { sso: "Single sign-on", org: "Organization" };

/** The catalog as matrix rows, grouped by the resource before the colon. */
export function listPermissionRows(access?: Access): PermissionOption[] {
  return allPermissions.map((key) => {
    const resource = key.split(":")[0]!;
    const group = groupLabels[resource] ?? resource[0]!.toUpperCase() + resource.slice(1);
    const option: PermissionOption = { key, ...permissionCatalog[key], group };
    // The same rule the server applies: a role never holds what its editor does not.
    if (access && !checkRoleEdit(access, new Set([key])).ok) option.disabledReason = "You do not hold this permission across the whole organization, so no role you edit can.";
    return option;
  });
}

/** Other roles this one may inherit; a cycle or a role bigger than the editor is disabled with the reason. */
export function listInheritOptions(access: Access, roles: RoleSummary[], roleId: string | null): InheritOption[] {
  const graph = new Map<string, RoleNode>(roles.map((r) => [r.id, { id: r.id, name: r.name, permissions: new Set(r.direct), inherits: r.inherits.map((i) => i.id) }]));
  return roles
    .filter((r) => r.id !== roleId)
    .map((r) => {
      if (roleId && wouldCreateCycle(graph, roleId, [r.id])) return { id: r.id, name: r.name, disabledReason: `${r.name} already inherits this role; inheriting it back would make a cycle.` };
      const check = checkRoleEdit(access, new Set(r.effective));
      return check.ok ? { id: r.id, name: r.name } : { id: r.id, name: r.name, disabledReason: check.reason };
    });
}

/** Roles are org-wide: creating, editing and deleting them all need roles:manage at the org root (as the commands check). */
export function roleEditRights(access: Access) {
  const atRoot = can(access, "roles:manage", "");
  return { canEdit: atRoot, canDelete: atRoot };
}
