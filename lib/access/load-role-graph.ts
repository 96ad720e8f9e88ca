import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { roleInherits, roles } from "@/db/schema";
import { isPermission, type Permission } from "./permissions";
import type { RoleGraph, RoleNode } from "./role-graph";

/** All roles of an org with their inheritance edges: two indexed queries, however many members. */
export async function loadRoleGraph(db: Executor, orgId: string): Promise<RoleGraph> {
  const [roleRows, edgeRows] = await Promise.all([
    db.select({ id: roles.id, name: roles.name, permissions: roles.permissions }).from(roles).where(eq(roles.orgId, orgId)),
    db.select({ roleId: roleInherits.roleId, inheritsRoleId: roleInherits.inheritsRoleId }).from(roleInherits).where(eq(roleInherits.orgId, orgId)),
  ]);
  const inherits = new Map<string, string[]>();
  for (const e of edgeRows) inherits.set(e.roleId, [...(inherits.get(e.roleId) ?? []), e.inheritsRoleId]);
  const graph = new Map<string, RoleNode>();
  for (const r of roleRows) {
    graph.set(r.id, { id: r.id, name: r.name, permissions: new Set(r.permissions.filter(isPermission) as Permission[]), inherits: inherits.get(r.id) ?? [] });
  }
  return graph;
}
