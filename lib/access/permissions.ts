/**
 * The permission catalog: the only place permissions are defined. Roles list these strings;
 * `adminClass` marks those that will require MFA.
 */
export const permissionCatalog = {
  "orders:read": { description: "Read every order in scope.", adminClass: false },
  "orders:read-own": { description: "Read orders where you are the buyer.", adminClass: false },
  "orders:create": { description: "Create orders for a branch in scope.", adminClass: false },
  "orders:approve": { description: "Approve orders in scope, up to the grant's approval limit.", adminClass: false },
  "orders:cancel": { description: "Cancel orders in scope.", adminClass: false },
  "invoices:read": { description: "Read invoices in scope.", adminClass: false },
  "invoices:approve": { description: "Approve invoices in scope.", adminClass: false },
  "users:read": { description: "List members and their grants in scope.", adminClass: false },
  "users:manage": { description: "Invite, deactivate and grant roles to members in scope.", adminClass: true },
  "roles:manage": { description: "Create and edit roles.", adminClass: true },
  "branches:manage": { description: "Create, rename and move branches in scope.", adminClass: true },
  "audit:read": { description: "Read and export the audit trail.", adminClass: true },
  "sso:manage": { description: "Configure single sign-on connections.", adminClass: true },
  "intake:manage": { description: "Configure order intake channels and handle dead letters.", adminClass: true },
  "org:manage": { description: "Change organization settings and API tokens.", adminClass: true },
} as const satisfies Record<string, { description: string; adminClass: boolean }>;

export type Permission = keyof typeof permissionCatalog;

export const allPermissions = Object.keys(permissionCatalog) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissionCatalog, value);
}
