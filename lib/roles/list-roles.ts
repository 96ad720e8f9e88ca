import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { roles } from "@/db/schema";
import { holdsAnywhere } from "@/lib/access/access";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { allPermissions, type Permission } from "@/lib/access/permissions";
import { effectivePermissions, permissionSource } from "@/lib/access/role-graph";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";

/** How one role comes to hold one permission: listed on the role itself, or through inheritance. */
export type PermissionSource = { kind: "direct" } | { kind: "inherited"; from: string; via: string[] };

export interface RoleSummary {
  id: string;
  name: string;
  description: string;
  /** Permissions listed on the role itself, in catalog order. */
  direct: Permission[];
  /** Roles this one inherits directly, by id and name. */
  inherits: Array<{ id: string; name: string }>;
  /** Every permission the role carries, with where it comes from. */
  sources: Partial<Record<Permission, PermissionSource>>;
  effective: Permission[];
  /** True when at least one grant uses the role, so deleting it needs a decision. */
  inUse: boolean;
}

/** Roles are few per org; the cap keeps a runaway org from producing an unbounded page. */
export const ROLE_LIST_LIMIT = 300;

/**
 * The org's roles with direct and inherited permissions told apart. Reading roles needs users:read
 * or roles:manage somewhere: roles are org-wide, so there is no branch to narrow them to.
 */
export async function listRoles(db: Executor, principal: Principal): Promise<RoleSummary[]> {
  const orgId = principal.org?.id;
  if (!orgId) return [];
  if (!holdsAnywhere(principal.access, "users:read") && !holdsAnywhere(principal.access, "roles:manage")) {
    throw new ForbiddenError("Viewing roles needs users:read or roles:manage.", "users:read");
  }
  const [graph, rows] = await Promise.all([
    loadRoleGraph(db, orgId),
    db
      .select({
        id: roles.id,
        description: roles.description,
        // EXISTS stops at the first grant found through grants_role_idx, however many there are.
        // Names are spelled out: Drizzle leaves select-list columns unqualified on one table.
        inUse: sql<boolean>`exists (select 1 from "grants" g where g.role_id = "roles"."id" and g.org_id = ${orgId})`,
      })
      .from(roles)
      .where(eq(roles.orgId, orgId))
      .orderBy(asc(roles.name))
      .limit(ROLE_LIST_LIMIT),
  ]);
  const listed = new Map(rows.map((r) => [r.id, r]));
  return [...graph.values()]
    .filter((node) => listed.has(node.id))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((node) => {
      const sources: RoleSummary["sources"] = {};
      for (const permission of effectivePermissions(graph, node.id)) {
        const chain = permissionSource(graph, node.id, permission) ?? [node.name];
        sources[permission] = chain.length === 1 ? { kind: "direct" } : { kind: "inherited", from: chain[chain.length - 1]!, via: chain.slice(1) };
      }
      return {
        id: node.id,
        name: node.name,
        description: listed.get(node.id)!.description,
        direct: allPermissions.filter((p) => node.permissions.has(p)),
        inherits: node.inherits.map((id) => ({ id, name: graph.get(id)?.name ?? "(unknown role)" })).sort((a, b) => a.name.localeCompare(b.name)),
        sources,
        effective: allPermissions.filter((p) => sources[p]),
        inUse: listed.get(node.id)!.inUse,
      };
    });
}
