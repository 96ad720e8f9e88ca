import type { Access, EffectiveGrant } from "./access";
import { isPermission, type Permission } from "./permissions";
import { effectivePermissions, type RoleGraph, type RoleNode } from "./role-graph";

export interface GrantRow {
  grantId: string;
  roleId: string;
  branchId: string | null;
  branchPath: string | null;
  branchName: string | null;
  expiresAt: Date | null;
  approvalLimitMinor: number | null;
  approvalLimitCurrency: string | null;
}

export interface RoleRow {
  id: string;
  name: string;
  permissions: string[];
}

export interface EdgeRow {
  roleId: string;
  inheritsRoleId: string;
}

/** An org's roles with their inheritance edges, as the role graph the checks walk. */
export function buildRoleGraph(roleRows: RoleRow[], edgeRows: EdgeRow[]): RoleGraph {
  const inherits = new Map<string, string[]>();
  for (const e of edgeRows) inherits.set(e.roleId, [...(inherits.get(e.roleId) ?? []), e.inheritsRoleId]);
  const graph = new Map<string, RoleNode>();
  for (const r of roleRows) {
    graph.set(r.id, { id: r.id, name: r.name, permissions: new Set(r.permissions.filter(isPermission) as Permission[]), inherits: inherits.get(r.id) ?? [] });
  }
  return graph;
}

/** A member's grants over the org's role graph: each grant's effective permissions over its subtree. */
export function accessFromRows(grantRows: GrantRow[], graph: RoleGraph): Access {
  if (grantRows.length === 0) return { kind: "grants", grants: [], roles: new Map() };
  const effective: EffectiveGrant[] = grantRows.map((r) => ({
    grantId: r.grantId,
    roleId: r.roleId,
    roleName: graph.get(r.roleId)?.name ?? "(deleted role)",
    branchId: r.branchId,
    branchName: r.branchName,
    branchPath: r.branchPath ?? "",
    permissions: effectivePermissions(graph, r.roleId),
    expiresAt: r.expiresAt,
    approvalLimit: r.approvalLimitMinor != null && r.approvalLimitCurrency ? { amountMinor: r.approvalLimitMinor, currency: r.approvalLimitCurrency } : null,
  }));
  return { kind: "grants", grants: effective, roles: graph };
}

/** The `access` value the principal functions of migration 0016 return, as JSON. */
export interface AccessJson {
  grants: (Omit<GrantRow, "expiresAt"> & { expiresAt: string | null })[];
  roles: RoleRow[];
  edges: EdgeRow[];
}

export function accessFromJson(json: AccessJson): Access {
  const grantRows = json.grants.map((g) => ({ ...g, expiresAt: g.expiresAt ? new Date(g.expiresAt) : null, approvalLimitMinor: g.approvalLimitMinor == null ? null : Number(g.approvalLimitMinor) }));
  return accessFromRows(grantRows, grantRows.length ? buildRoleGraph(json.roles, json.edges) : new Map());
}
