import type { Permission } from "./permissions";
import { allPermissions, isSupplierOnly } from "./permissions";

export interface RoleTemplate {
  name: string;
  description: string;
  permissions: Permission[];
  /** Names of templates this one inherits; listed before it. */
  inherits: string[];
}

/**
 * Roles every new organization starts with; each org can edit its copies. Inheritance keeps
 * them small: a Manager is a Buyer and an Approver, plus people management.
 */
export const roleTemplates: readonly RoleTemplate[] = [
  { name: "Viewer", description: "Reads orders and invoices in scope.", permissions: ["orders:read", "invoices:read"], inherits: [] },
  { name: "Buyer", description: "Places orders and follows the branch's orders.", permissions: ["orders:read-own", "orders:create"], inherits: ["Viewer"] },
  { name: "Approver", description: "Approves orders and invoices.", permissions: ["orders:approve", "invoices:approve"], inherits: ["Viewer"] },
  { name: "Manager", description: "Runs a part of the tree: its orders, approvals and people.", permissions: ["orders:cancel", "users:read", "users:manage"], inherits: ["Buyer", "Approver"] },
  { name: "Auditor", description: "Reads orders, members and the audit trail.", permissions: ["users:read", "audit:read"], inherits: ["Viewer"] },
  { name: "Admin", description: "Everything in the organization.", permissions: allPermissions.filter((p) => !isSupplierOnly(p)), inherits: [] },
];

/**
 * The supplier's starter roles (`supplier create`). Its staff read and manage the customer
 * accounts, the catalog and, across accounts, their orders; the supplier-only permissions mean
 * something here and nowhere else.
 */
export const supplierRoleTemplates: readonly RoleTemplate[] = [
  { name: "Viewer", description: "Reads the accounts, their orders and the catalog.", permissions: ["accounts:read", "orders:read"], inherits: [] },
  { name: "Account manager", description: "Opens accounts, sets their tier, credit limit, currencies and prices, and invoices their orders.", permissions: ["accounts:manage", "invoices:issue"], inherits: ["Viewer"] },
  { name: "Catalog manager", description: "Maintains the catalog: products, list prices, CSV imports.", permissions: ["catalog:manage"], inherits: ["Viewer"] },
  { name: "Operations", description: "Runs the catalog, the accounts and order intake.", permissions: ["intake:manage"], inherits: ["Account manager", "Catalog manager"] },
  { name: "Admin", description: "Everything in the supplier's organization, including its members and roles.", permissions: [...allPermissions], inherits: [] },
];
