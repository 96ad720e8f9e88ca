import { permissionCatalog } from "@/lib/access/permissions";
import { roleTemplates } from "@/lib/access/role-templates";

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
    "",
    "| Permission | Admin-class | Meaning |",
    "| --- | --- | --- |",
    ...Object.entries(permissionCatalog).map(([name, p]) => `| \`${name}\` | ${p.adminClass ? "yes" : ""} | ${p.description} |`),
    "",
    "## Starter roles",
    "",
    "Every new organization gets these; each organization can edit its copies. Inherited roles contribute all their permissions.",
    "",
    "| Role | Inherits | Direct permissions | Meaning |",
    "| --- | --- | --- | --- |",
    ...roleTemplates.map((r) => `| ${r.name} | ${r.inherits.join(", ") || "—"} | ${r.permissions.map((p) => `\`${p}\``).join(", ")} | ${r.description} |`),
    "",
  ];
  return lines.join("\n");
}
