import type { Permission } from "./permissions";
import { allPermissions } from "./permissions";

/** Roles every new organization starts with; each org can edit its copies. */
export const roleTemplates: ReadonlyArray<{ name: string; description: string; permissions: Permission[] }> = [
  { name: "Admin", description: "Everything in the organization.", permissions: [...allPermissions] },
  {
    name: "Manager",
    description: "Runs a part of the tree: its orders, approvals and people.",
    permissions: ["orders:read", "orders:create", "orders:approve", "orders:cancel", "invoices:read", "users:read", "users:manage"],
  },
  { name: "Buyer", description: "Places orders and follows the branch's orders.", permissions: ["orders:read", "orders:read-own", "orders:create"] },
  { name: "Approver", description: "Approves orders and invoices.", permissions: ["orders:read", "orders:approve", "invoices:read", "invoices:approve"] },
  { name: "Viewer", description: "Reads orders in scope.", permissions: ["orders:read", "invoices:read"] },
  { name: "Auditor", description: "Reads all orders and the audit trail.", permissions: ["orders:read", "invoices:read", "users:read", "audit:read"] },
];
