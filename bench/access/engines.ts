/**
 * The same access data in three engines: Countersign's own Access, casbin (RBAC with domains and
 * a role hierarchy) and @casl/ability (per-member rules with a path-prefix condition).
 *
 * casbin and CASL are built from the same rows Countersign loads (loadRawPolicy mirrors the SQL
 * of loadAccess + loadRoleGraph), and resolve role inheritance themselves: casbin through its
 * role manager, CASL (which has no role hierarchy) through flattenRole below.
 */
import { createMongoAbility, subject, type MongoAbility } from "@casl/ability";
import { newEnforcer, newModelFromString, Util, type Enforcer } from "casbin";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, grants, memberships, roleInherits, roles } from "@/db/schema";
import type { Access, EffectiveGrant } from "@/lib/access/access";
import { isPermission, type Permission } from "@/lib/access/permissions";
import { effectivePermissions, type RoleGraph, type RoleNode } from "@/lib/access/role-graph";

/** One member's access as stored: grants (role at a branch path) plus the org's role graph. */
export interface RawPolicy {
  membershipId: string;
  grants: Array<{ grantId: string; roleId: string; branchId: string | null; branchName: string | null; branchPath: string }>;
  roles: Array<{ id: string; name: string; permissions: string[] }>;
  edges: Array<{ roleId: string; inheritsRoleId: string }>;
}

/** The three queries of loadAccess + loadRoleGraph, returning plain rows. */
export async function loadRawPolicy(db: Executor, membershipId: string): Promise<RawPolicy> {
  const rows = await db
    .select({ grantId: grants.id, orgId: grants.orgId, roleId: grants.roleId, branchId: grants.branchId, branchPath: branches.path, branchName: branches.name })
    .from(grants)
    .innerJoin(memberships, eq(memberships.id, grants.membershipId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.membershipId, membershipId), eq(memberships.status, "active"), or(isNull(grants.expiresAt), gt(grants.expiresAt, sql`now()`))));
  if (rows.length === 0) return { membershipId, grants: [], roles: [], edges: [] };
  const orgId = rows[0]!.orgId;
  const [roleRows, edgeRows] = await Promise.all([
    db.select({ id: roles.id, name: roles.name, permissions: roles.permissions }).from(roles).where(eq(roles.orgId, orgId)),
    db.select({ roleId: roleInherits.roleId, inheritsRoleId: roleInherits.inheritsRoleId }).from(roleInherits).where(eq(roleInherits.orgId, orgId)),
  ]);
  return {
    membershipId,
    grants: rows.map((r) => ({ grantId: r.grantId, roleId: r.roleId, branchId: r.branchId, branchName: r.branchName, branchPath: r.branchPath ?? "" })),
    roles: roleRows,
    edges: edgeRows,
  };
}

// ---------------------------------------------------------------------------------------------
// Countersign

/** What loadAccess does after its queries (role graph + effective permissions per grant). */
export function countersignFromRaw(raw: RawPolicy): Access {
  const inherits = new Map<string, string[]>();
  for (const e of raw.edges) inherits.set(e.roleId, [...(inherits.get(e.roleId) ?? []), e.inheritsRoleId]);
  const graph = new Map<string, RoleNode>();
  for (const r of raw.roles) graph.set(r.id, { id: r.id, name: r.name, permissions: new Set(r.permissions.filter(isPermission)), inherits: inherits.get(r.id) ?? [] });
  const roleGraph: RoleGraph = graph;
  const effective: EffectiveGrant[] = raw.grants.map((g) => ({
    grantId: g.grantId,
    roleId: g.roleId,
    roleName: graph.get(g.roleId)?.name ?? "(deleted role)",
    branchId: g.branchId,
    branchName: g.branchName,
    branchPath: g.branchPath,
    permissions: effectivePermissions(roleGraph, g.roleId),
    expiresAt: null,
    approvalLimit: null,
  }));
  return { kind: "grants", grants: effective, roles: roleGraph };
}

/**
 * A PROPOSAL, not the app's code: lib/access/access.ts `can` with one change, the subtree test
 * `branchPath.startsWith(g.branchPath)` written as a length check plus slice equality. V8's
 * startsWith compares character by character (~2 ns a character here), and paths are 37-186
 * characters of uuids; slice + === compares the flat strings in one go. Same answers.
 */
export function canProposed(access: Access, permission: Permission, branchPath: string): boolean {
  if (access.kind === "system") return true;
  if (access.kind === "none") return false;
  for (const g of access.grants) {
    const prefix = g.branchPath;
    if (g.permissions.has(permission) && branchPath.length >= prefix.length && (prefix.length === 0 || branchPath.slice(0, prefix.length) === prefix)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// casbin

/**
 * RBAC with domains, the domain being the target branch's materialized path. A grant is
 * `g, member, role, <grant path>*` and role inheritance is `g, role, parent, *`; keyMatch as the
 * domain matching function turns "<path>*" into "any branch in this subtree" ("*" = org root).
 * The action test comes first so the role lookup runs only for policy lines of that permission.
 */
export const CASBIN_MODEL = `
[request_definition]
r = sub, dom, act

[policy_definition]
p = sub, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && g(r.sub, p.sub, r.dom)
`;

export const casbinMember = (membershipId: string) => `member:${membershipId}`;
const casbinRole = (roleId: string) => `role:${roleId}`;

export function casbinPolicyLines(raws: readonly RawPolicy[]): { p: string[][]; g: string[][] } {
  const p = new Map<string, string[]>();
  const g = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, rule: string[]) => map.set(rule.join("\u0000"), rule);
  for (const raw of raws) {
    for (const r of raw.roles) for (const perm of r.permissions) add(p, [casbinRole(r.id), perm]);
    for (const e of raw.edges) add(g, [casbinRole(e.roleId), casbinRole(e.inheritsRoleId), "*"]);
    for (const gr of raw.grants) add(g, [casbinMember(raw.membershipId), casbinRole(gr.roleId), `${gr.branchPath}*`]);
  }
  return { p: [...p.values()], g: [...g.values()] };
}

export async function buildCasbin(raws: readonly RawPolicy[]): Promise<Enforcer> {
  const enforcer = await newEnforcer(newModelFromString(CASBIN_MODEL));
  await enforcer.addNamedDomainMatchingFunc("g", Util.keyMatchFunc);
  const { p, g } = casbinPolicyLines(raws);
  if (p.length) await enforcer.addPolicies(p);
  if (g.length) await enforcer.addGroupingPolicies(g);
  return enforcer;
}

// ---------------------------------------------------------------------------------------------
// CASL

export type CaslAbility = MongoAbility<[string, "Order" | OrderSubject]>;
export interface OrderSubject {
  branchPath: string;
}

/** A role's permissions and those of every role it inherits (CASL has no role hierarchy). */
export function flattenRole(raw: RawPolicy, roleId: string): string[] {
  const byId = new Map(raw.roles.map((r) => [r.id, r.permissions]));
  const parents = new Map<string, string[]>();
  for (const e of raw.edges) parents.set(e.roleId, [...(parents.get(e.roleId) ?? []), e.inheritsRoleId]);
  const seen = new Set<string>();
  const out = new Set<string>();
  const queue = [roleId];
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const perm of byId.get(id) ?? []) out.add(perm);
    queue.push(...(parents.get(id) ?? []));
  }
  return [...out];
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One rule per grant: its flattened permissions on Orders whose branchPath starts with the grant's path. */
export function buildCasl(raw: RawPolicy): CaslAbility {
  const rules = raw.grants.flatMap((g) => {
    const action = flattenRole(raw, g.roleId);
    if (action.length === 0) return [];
    return g.branchPath === "" ? [{ action, subject: "Order" as const }] : [{ action, subject: "Order" as const, conditions: { branchPath: { $regex: `^${escapeRegex(g.branchPath)}` } } }];
  });
  return createMongoAbility<CaslAbility>(rules);
}

export function caslSubject(branchPath: string): OrderSubject {
  return subject("Order", { branchPath });
}

