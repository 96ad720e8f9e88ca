import { and, eq, inArray, ne } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, roles } from "@/db/schema";
import type { Access } from "@/lib/access/access";
import { checkRoleEdit } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import type { Permission } from "@/lib/access/permissions";
import { effectivePermissions, wouldCreateCycle, type RoleGraph, type RoleNode } from "@/lib/access/role-graph";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/core/errors";

export interface RoleFields {
  name: string;
  description: string;
  permissions: string[];
  inherits: string[];
}

/**
 * Shared by create and update: the name is unique in the org, inherited roles exist in the org,
 * the inheritance stays acyclic, and the role's effective permissions never exceed the editor's.
 */
export async function validateRoleFields(
  tx: Tx,
  access: Access,
  orgId: string,
  roleId: string,
  fields: RoleFields,
): Promise<{ before: RoleGraph; graph: RoleGraph; effective: Set<Permission> }> {
  const [clash] = await tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, fields.name), ne(roles.id, roleId)));
  if (clash) throw new ConflictError(`A role named "${fields.name}" already exists.`, "name");
  const before = await loadRoleGraph(tx, orgId);
  const graph = new Map(before);
  const unknown = fields.inherits.filter((id) => !graph.has(id));
  if (unknown.length) throw new ValidationError({ inherits: ["names a role that does not exist in this organization"] });
  if (fields.inherits.includes(roleId) || wouldCreateCycle(graph, roleId, fields.inherits)) {
    throw new ValidationError({ inherits: ["would create an inheritance cycle"] });
  }
  const node: RoleNode = { id: roleId, name: fields.name, permissions: new Set(fields.permissions as Permission[]), inherits: fields.inherits };
  graph.set(roleId, node);
  const effective = effectivePermissions(graph, roleId);
  const check = checkRoleEdit(access, effective);
  if (!check.ok) throw new ForbiddenError(check.reason, "roles:manage");
  return { before, graph, effective };
}

/** Does any grant use one of these roles? One indexed probe (grants_role_idx), however many grants. */
export async function anyGranted(tx: Tx, orgId: string, roleIds: string[]): Promise<boolean> {
  if (!roleIds.length) return false;
  const [row] = await tx.select({ id: grants.id }).from(grants).where(and(eq(grants.orgId, orgId), inArray(grants.roleId, roleIds))).limit(1);
  return Boolean(row);
}

export async function roleNames(tx: Tx, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  return (await tx.select({ name: roles.name }).from(roles).where(inArray(roles.id, ids))).map((r) => r.name).sort();
}
