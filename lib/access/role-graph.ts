import type { Permission } from "./permissions";

export interface RoleNode {
  id: string;
  name: string;
  permissions: ReadonlySet<Permission>;
  inherits: readonly string[];
}

/** An org's roles and their inheritance edges, as loaded for one request. */
export type RoleGraph = ReadonlyMap<string, RoleNode>;

/** Every role reachable from `roleId` through inheritance, itself first (cycle-safe). */
export function inheritedRoleIds(graph: RoleGraph, roleId: string): string[] {
  const seen = new Set<string>();
  const stack = [roleId];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const parent of graph.get(id)?.inherits ?? []) stack.push(parent);
  }
  return [...seen];
}

/** Effective permissions: the union over the role and everything it inherits. */
export function effectivePermissions(graph: RoleGraph, roleId: string): Set<Permission> {
  const out = new Set<Permission>();
  for (const id of inheritedRoleIds(graph, roleId)) for (const p of graph.get(id)?.permissions ?? []) out.add(p);
  return out;
}

/**
 * Would giving `roleId` these inherited roles close a cycle? True when `roleId` is reachable
 * from any of them (including itself).
 */
export function wouldCreateCycle(graph: RoleGraph, roleId: string, inherits: readonly string[]): boolean {
  return inherits.some((parent) => inheritedRoleIds(graph, parent).includes(roleId));
}

/**
 * How `roleId` comes to hold `permission`: the role names from `roleId` down to the role that
 * lists it directly (["Manager", "Buyer"]), or null when it does not. Breadth-first, so the
 * shortest chain is reported.
 */
export function permissionSource(graph: RoleGraph, roleId: string, permission: Permission): string[] | null {
  const queue: Array<{ id: string; path: string[] }> = [{ id: roleId, path: [] }];
  const seen = new Set<string>();
  while (queue.length) {
    const { id, path } = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = graph.get(id);
    if (!node) continue;
    const here = [...path, node.name];
    if (node.permissions.has(permission)) return here;
    for (const parent of node.inherits) queue.push({ id: parent, path: here });
  }
  return null;
}
