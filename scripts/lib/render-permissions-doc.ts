import { isSupplierOnly, permissionCatalog, type Permission } from "@/lib/access/permissions";
import { roleTemplates, supplierRoleTemplates, type RoleTemplate } from "@/lib/access/role-templates";

/** docs/permissions.md, generated from the catalog and the starter roles (`npm run docs`). */
export function renderPermissionsDoc(): string {
  const lines = [
    "# Permissions",
    "",
    "Generated from `lib/access/permissions.ts` and `lib/access/role-templates.ts` by `npm run docs`; do not edit by hand.",
    "A test fails when this file is stale.",
    "",
    "A grant gives a member one role at one branch (or the organization root) and covers that branch's whole subtree.",
    "Admin-class permissions will require MFA for anyone who holds them.",
    "Supplier-only permissions act only in the supplier's organization, at its root; granted in a customer's organization they do nothing.",
    "",
    "| Permission | Admin-class | Supplier only | Meaning |",
    "| --- | --- | --- | --- |",
    ...Object.entries(permissionCatalog).map(([name, p]) => `| \`${name}\` | ${p.adminClass ? "yes" : ""} | ${isSupplierOnly(name as Permission) ? "yes" : ""} | ${p.description} |`),
    "",
    "## Starter roles",
    "",
    "Every new customer organization gets these; each organization can edit its copies. Inherited roles contribute all their permissions.",
    "",
    ...roleTable(roleTemplates),
    "",
    "## The supplier's starter roles",
    "",
    "The supplier's organization (`supplier create`) gets these instead.",
    "",
    ...roleTable(supplierRoleTemplates),
    "",
  ];
  return lines.join("\n");
}

function roleTable(templates: readonly RoleTemplate[]): string[] {
  return [
    "| Role | Inherits | Direct permissions | Meaning |",
    "| --- | --- | --- | --- |",
    ...templates.map((r) => `| ${r.name} | ${r.inherits.join(", ") || "—"} | ${r.permissions.map((p) => `\`${p}\``).join(", ")} | ${r.description} |`),
  ];
}
