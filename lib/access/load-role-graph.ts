import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { roleInherits, roles } from "@/db/schema";
import { buildRoleGraph } from "./access-from-rows";
import type { RoleGraph } from "./role-graph";

/** All roles of an org with their inheritance edges: two indexed queries, however many members. */
export async function loadRoleGraph(db: Executor, orgId: string): Promise<RoleGraph> {
  const [roleRows, edgeRows] = await Promise.all([
    db.select({ id: roles.id, name: roles.name, permissions: roles.permissions }).from(roles).where(eq(roles.orgId, orgId)),
    db.select({ roleId: roleInherits.roleId, inheritsRoleId: roleInherits.inheritsRoleId }).from(roleInherits).where(eq(roleInherits.orgId, orgId)),
  ]);
  return buildRoleGraph(roleRows, edgeRows);
}
