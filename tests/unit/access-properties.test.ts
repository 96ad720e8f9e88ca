import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { can, permissionsAt, scopeOf, type Access, type EffectiveGrant } from "@/lib/access/access";
import { checkBranchMove, checkGrantDelegation, checkRoleEdit } from "@/lib/access/delegation";
import { allPermissions, type Permission } from "@/lib/access/permissions";
import { effectivePermissions, inheritedRoleIds, wouldCreateCycle, type RoleGraph, type RoleNode } from "@/lib/access/role-graph";

/** A random branch tree as materialized paths: node i's parent is a random earlier node or the root. */
const treeArb = fc.array(fc.nat(), { minLength: 1, maxLength: 30 }).map((parents) => {
  const paths: string[] = [];
  parents.forEach((p, i) => {
    const parent = i === 0 || p % (i + 1) === i ? "/" : paths[p % i]!;
    paths.push(`${parent}b${i}/`);
  });
  return paths;
});

const permissionSetArb = fc.subarray(allPermissions as Permission[]).map((ps) => new Set(ps));

function grantsOn(paths: string[], picks: Array<{ at: number; root: boolean; perms: Set<Permission> }>): EffectiveGrant[] {
  return picks.map((g, i) => ({
    grantId: `g${i}`,
    roleId: `r${i}`,
    roleName: `R${i}`,
    branchId: g.root ? null : `b${g.at % paths.length}`,
    branchName: null,
    branchPath: g.root ? "" : paths[g.at % paths.length]!,
    permissions: g.perms,
    expiresAt: null,
    approvalLimit: null,
  }));
}

const grantPicksArb = fc.array(fc.record({ at: fc.nat(), root: fc.nat({ max: 4 }).map((n) => n === 0), perms: permissionSetArb }), { maxLength: 6 });
const access = (grants: EffectiveGrant[]): Access => ({ kind: "grants", grants, roles: new Map() });
const perm = fc.constantFrom(...(allPermissions as Permission[]));

describe("access model properties (fast-check)", () => {
  it("nothing outside a grant's subtree is ever visible: can() and scopeOf() agree with the subtrees exactly", () => {
    fc.assert(
      fc.property(treeArb, grantPicksArb, perm, (paths, picks, p) => {
        const grants = grantsOn(paths, picks);
        const a = access(grants);
        const scope = scopeOf(a, p);
        for (const path of paths) {
          const byGrant = grants.some((g) => g.permissions.has(p) && path.startsWith(g.branchPath));
          expect(can(a, p, path)).toBe(byGrant);
          const byScope = scope.kind === "all" || (scope.kind === "subtrees" && scope.paths.some((s) => path.startsWith(s)));
          expect(byScope).toBe(byGrant);
        }
      }),
    );
  });

  it("Delegation never grants more than the delegator holds", () => {
    fc.assert(
      fc.property(treeArb, grantPicksArb, permissionSetArb, fc.nat(), (paths, picks, rolePerms, at) => {
        const a = access(grantsOn(paths, picks));
        const branchPath = paths[at % paths.length]!;
        const result = checkGrantDelegation(a, { actorMembershipId: "me", targetMembershipId: "them", rolePermissions: rolePerms, branchPath });
        if (result.ok) {
          const held = permissionsAt(a, branchPath);
          expect(held).not.toBe("all");
          for (const p of rolePerms) expect((held as Set<Permission>).has(p)).toBe(true);
          expect(can(a, "users:manage", branchPath)).toBe(true);
        }
      }),
    );
  });

  it("Delegation never grants more than the delegator holds: no role edit ever yields a role whose effective permissions exceed the editor's root permissions", () => {
    const edgesArb = fc.array(fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 })), { maxLength: 12 });
    fc.assert(
      fc.property(treeArb, grantPicksArb, fc.array(permissionSetArb, { minLength: 6, maxLength: 6 }), edgesArb, fc.nat({ max: 5 }), permissionSetArb, fc.subarray([0, 1, 2, 3, 4, 5]), (paths, picks, direct, edges, edited, newDirect, newInherits) => {
        const editor = access(grantsOn(paths, picks));
        const graph = new Map<string, RoleNode>(direct.map((perms, i) => [`r${i}`, { id: `r${i}`, name: `R${i}`, permissions: perms, inherits: [] }]));
        for (const [from, to] of edges) {
          const node = graph.get(`r${from}`)!;
          if (from !== to && !wouldCreateCycle(graph, node.id, [`r${to}`])) graph.set(node.id, { ...node, inherits: [...node.inherits, `r${to}`] });
        }
        const roleId = `r${edited}`;
        const inherits = newInherits.map((i) => `r${i}`).filter((id) => id !== roleId);
        if (wouldCreateCycle(graph, roleId, inherits)) return;
        graph.set(roleId, { id: roleId, name: "Edited", permissions: newDirect, inherits });
        const effective = effectivePermissions(graph, roleId);
        if (checkRoleEdit(editor, effective).ok) {
          const atRoot = permissionsAt(editor, "") as Set<Permission>;
          expect(atRoot.has("roles:manage")).toBe(true);
          for (const p of effective) expect(atRoot.has(p)).toBe(true);
        }
      }),
    );
  });

  it("Delegation never grants more than the delegator holds: an allowed move gives the mover nothing new anywhere in the moved subtree, and a refused one would have", () => {
    fc.assert(
      fc.property(treeArb, grantPicksArb, fc.nat(), fc.nat(), fc.boolean(), (paths, picks, which, where, toTop) => {
        const grants = grantsOn(paths, picks);
        const branchPath = paths[which % paths.length]!;
        const outside = paths.filter((p) => !p.startsWith(branchPath));
        const newParentPath = toTop || outside.length === 0 ? "" : outside[where % outside.length]!;
        const movedPath = (p: string) => (p.startsWith(branchPath) ? `${newParentPath || "/"}${branchPath.split("/").at(-2)}/${p.slice(branchPath.length)}` : p);
        const after = access(grants.map((g) => ({ ...g, branchPath: g.branchPath === "" ? "" : movedPath(g.branchPath) })));
        const before = access(grants);
        const gainsSomewhere = paths
          .filter((p) => p.startsWith(branchPath))
          .some((p) => [...(permissionsAt(after, movedPath(p)) as Set<Permission>)].some((perm) => !(permissionsAt(before, p) as Set<Permission>).has(perm)));
        expect(checkBranchMove(before, { branchPath, newParentPath }).ok).toBe(!gainsSomewhere);
      }),
    );
  });

  it("A member cannot change their own grants (delegation to oneself is always refused)", () => {
    fc.assert(
      fc.property(treeArb, grantPicksArb, permissionSetArb, (paths, picks, rolePerms) => {
        const result = checkGrantDelegation(access(grantsOn(paths, picks)), { actorMembershipId: "me", targetMembershipId: "me", rolePermissions: rolePerms, branchPath: paths[0]! });
        expect(result.ok).toBe(false);
      }),
    );
  });

  it("inheritance cycles are always rejected, so the graph stays acyclic", () => {
    const edgesArb = fc.array(fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 7 })), { maxLength: 30 });
    fc.assert(
      fc.property(edgesArb, (edges) => {
        const graph = new Map<string, RoleNode>();
        for (let i = 0; i < 8; i++) graph.set(`r${i}`, { id: `r${i}`, name: `R${i}`, permissions: new Set(), inherits: [] });
        for (const [from, to] of edges) {
          const node = graph.get(`r${from}`)!;
          const closesCycle = from === to || wouldCreateCycle(graph, node.id, [`r${to}`]);
          // Independent cycle check: is `from` reachable from `to` already?
          expect(closesCycle).toBe(inheritedRoleIds(graph, `r${to}`).includes(node.id));
          if (!closesCycle) graph.set(node.id, { ...node, inherits: [...node.inherits, `r${to}`] });
        }
        for (const id of graph.keys()) expect(hasCycleFrom(graph, id)).toBe(false);
      }),
    );
  });

  it("effective permissions are exactly the union over the inherited roles", () => {
    fc.assert(
      fc.property(fc.array(permissionSetArb, { minLength: 4, maxLength: 4 }), (sets) => {
        const graph: RoleGraph = new Map([
          ["a", { id: "a", name: "A", permissions: sets[0]!, inherits: ["b", "c"] }],
          ["b", { id: "b", name: "B", permissions: sets[1]!, inherits: ["d"] }],
          ["c", { id: "c", name: "C", permissions: sets[2]!, inherits: ["d"] }],
          ["d", { id: "d", name: "D", permissions: sets[3]!, inherits: [] }],
        ]);
        expect([...effectivePermissions(graph, "a")].sort()).toEqual([...new Set(sets.flatMap((s) => [...s]))].sort());
        expect([...effectivePermissions(graph, "d")].sort()).toEqual([...sets[3]!].sort());
      }),
    );
  });

  it("revoking a grant removes exactly what it gave", () => {
    fc.assert(
      fc.property(treeArb, grantPicksArb.filter((g) => g.length > 0), fc.nat(), perm, (paths, picks, which, p) => {
        const grants = grantsOn(paths, picks);
        const revoked = grants[which % grants.length]!;
        const after = access(grants.filter((g) => g !== revoked));
        for (const path of paths) {
          const stillGiven = grants.some((g) => g !== revoked && g.permissions.has(p) && path.startsWith(g.branchPath));
          expect(can(after, p, path)).toBe(stillGiven);
        }
      }),
    );
  });
});

function hasCycleFrom(graph: RoleGraph, start: string): boolean {
  const visiting = new Set<string>();
  const walk = (id: string): boolean => {
    if (visiting.has(id)) return true;
    visiting.add(id);
    const found = (graph.get(id)?.inherits ?? []).some(walk);
    visiting.delete(id);
    return found;
  };
  return walk(start);
}
