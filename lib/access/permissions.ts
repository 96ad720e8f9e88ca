/**
 * The permission catalog: the only place permissions are defined. Roles list these strings;
 * `adminClass` marks those that will require MFA. `supplierOnly` ones mean something only in the
 * supplier's organization: granted in a customer's, they do nothing, because every supplier
 * command and query first checks that the principal's org is the supplier
 * (lib/accounts/supplier-scope.ts).
 */
export const permissionCatalog = {
  "orders:read": { description: "Read every order in scope.", adminClass: false },
  "orders:read-own": { description: "Read orders where you are the buyer.", adminClass: false },
  "orders:create": { description: "Create orders for a branch in scope.", adminClass: false },
  "orders:approve": { description: "Approve orders in scope, up to the grant's approval limit.", adminClass: false },
  "orders:cancel": { description: "Cancel orders in scope.", adminClass: false },
  "invoices:read": { description: "Read invoices in scope.", adminClass: false },
  "invoices:approve": { description: "Approve or dispute invoices in scope, up to the grant's approval limit; never the invoice of your own order.", adminClass: false },
  "invoices:issue": { description: "Supplier staff: issue an invoice for an account's placed order (the amount is the order's).", adminClass: false, supplierOnly: true },
  "users:read": { description: "List members and their grants in scope.", adminClass: false },
  "users:manage": { description: "Invite, deactivate and grant roles to members in scope.", adminClass: true },
  "roles:manage": { description: "Create and edit roles.", adminClass: true },
  "branches:manage": { description: "Create, rename and move branches in scope.", adminClass: true },
  "audit:read": { description: "Read and export the audit trail.", adminClass: true },
  "sso:manage": { description: "Configure single sign-on connections.", adminClass: true },
  "intake:manage": { description: "Supplier staff: configure order intake channels and handle dead letters.", adminClass: true, supplierOnly: true },
  "org:manage": { description: "Change organization settings and API tokens.", adminClass: true },
  "accounts:read": { description: "Supplier staff: list the customer accounts with their tier, credit limit, currencies and orders.", adminClass: false, supplierOnly: true },
  "accounts:manage": { description: "Supplier staff: open accounts and set their tier, credit limit, currencies and account prices.", adminClass: true, supplierOnly: true },
  "catalog:manage": { description: "Supplier staff: create, edit and import the catalog's products and list prices.", adminClass: true, supplierOnly: true },
} as const satisfies Record<string, { description: string; adminClass: boolean; supplierOnly?: true }>;

export type Permission = keyof typeof permissionCatalog;

export const allPermissions = Object.keys(permissionCatalog) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(permissionCatalog, value);
}

/** Permissions that act only in the supplier's organization. */
export const supplierOnlyPermissions: readonly Permission[] = allPermissions.filter((p) => "supplierOnly" in permissionCatalog[p]);

export function isSupplierOnly(permission: Permission): boolean {
  return "supplierOnly" in permissionCatalog[permission];
}
