import type { Executor } from "@/db/client";
import { can } from "@/lib/access/access";
import { checkGrantDelegation } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import type { Principal } from "@/lib/core/context";

export interface GrantChoices {
  /** Where the actor may grant; value "" is the whole organization. */
  branches: Array<{ value: string; label: string; depth: number; policy: number }>;
  roles: Array<{ id: string; name: string }>;
  /** Per distinct policy: role id → why it may not be granted there, or null when it may. */
  policies: Array<Record<string, string | null>>;
  branchCap: number;
}

const BRANCH_CAP = 500;
const NEW_MEMBER = "";

/**
 * What the add-grant and add-member forms may offer: the branches where the actor holds
 * users:manage, and for each the roles checkGrantDelegation allows there. Branches under the
 * same grants share one policy, so the page ships a few policies, not branches × roles.
 */
export async function loadGrantChoices(db: Executor, principal: Principal, targetMembershipId: string | null): Promise<GrantChoices> {
  const orgId = principal.org!.id;
  const [graph, options] = await Promise.all([loadRoleGraph(db, orgId), listBranchOptions(db, principal, "users:manage", BRANCH_CAP)]);
  const roles = [...graph.values()].map((r) => ({ id: r.id, name: r.name })).sort((a, b) => a.name.localeCompare(b.name));
  const atRoot = can(principal.access, "users:manage", "");
  // Branches indent under "Whole organization" when it is offered, else from the actor's subtree roots.
  const shift = atRoot ? 1 : -minDepth(options);
  const places = [...(atRoot ? [{ id: "", name: "Whole organization", path: "", depth: -1 }] : []), ...options];
  const rolePermissions = new Map(roles.map((r) => [r.id, effectivePermissions(graph, r.id)]));
  const policies: GrantChoices["policies"] = [];
  const seen = new Map<string, number>();
  const branches = places.map((place) => {
    const policy = Object.fromEntries(
      roles.map((role) => {
        const check = checkGrantDelegation(principal.access, {
          actorMembershipId: principal.membershipId,
          targetMembershipId: targetMembershipId ?? NEW_MEMBER,
          rolePermissions: rolePermissions.get(role.id)!,
          branchPath: place.path,
        });
        return [role.id, check.ok ? null : check.reason];
      }),
    );
    const key = JSON.stringify(policy);
    if (!seen.has(key)) seen.set(key, policies.push(policy) - 1);
    return { value: place.id, label: place.name, depth: place.id ? place.depth + shift : 0, policy: seen.get(key)! };
  });
  return { branches, roles, policies, branchCap: BRANCH_CAP };
}

function minDepth(options: Array<{ depth: number }>): number {
  return options.reduce((min, o) => Math.min(min, o.depth), Infinity);
}
