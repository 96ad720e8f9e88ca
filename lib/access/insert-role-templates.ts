import type { Tx } from "@/db/client";
import { roleInherits, roles } from "@/db/schema";
import { roleTemplates } from "./role-templates";

/** Creates a new org's starter roles and their inheritance edges (inside the org's creation). */
export async function insertRoleTemplates(tx: Tx, orgId: string): Promise<void> {
  const rows = await tx
    .insert(roles)
    .values(roleTemplates.map((t) => ({ orgId, name: t.name, description: t.description, permissions: t.permissions })))
    .returning({ id: roles.id, name: roles.name });
  const idOf = new Map(rows.map((r) => [r.name, r.id]));
  const edges = roleTemplates.flatMap((t) => t.inherits.map((parent) => ({ orgId, roleId: idOf.get(t.name)!, inheritsRoleId: idOf.get(parent)! })));
  if (edges.length) await tx.insert(roleInherits).values(edges);
}
