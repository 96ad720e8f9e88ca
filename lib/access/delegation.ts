import { can, permissionsAt, type Access } from "./access";
import type { Permission } from "./permissions";

export type DelegationCheck = { ok: true } | { ok: false; reason: string; missing?: Permission[] };

/**
 * Delegation without escalation: the actor needs users:manage at the branch, may hand out only a
 * role whose effective permissions they themselves hold there, and never to themselves.
 */
export function checkGrantDelegation(
  access: Access,
  a: { actorMembershipId: string | null; targetMembershipId: string; rolePermissions: ReadonlySet<Permission>; branchPath: string },
): DelegationCheck {
  if (access.kind === "system") return { ok: true };
  if (a.actorMembershipId && a.actorMembershipId === a.targetMembershipId) return { ok: false, reason: "You cannot change your own grants." };
  if (!can(access, "users:manage", a.branchPath)) return { ok: false, reason: "You need users:manage at that branch." };
  const held = permissionsAt(access, a.branchPath);
  const missing = held === "all" ? [] : [...a.rolePermissions].filter((p) => !held.has(p)).sort();
  if (missing.length) return { ok: false, reason: `The role includes permissions you do not hold there: ${missing.join(", ")}.`, missing };
  return { ok: true };
}

/**
 * Role editing without escalation: a role may hold only permissions the editor holds through
 * the grants that let them manage roles.
 */
export function checkRoleEdit(access: Access, rolePermissions: ReadonlySet<Permission>): DelegationCheck {
  if (access.kind === "system") return { ok: true };
  if (access.kind === "none") return { ok: false, reason: "Not an active member of this organization." };
  const held = new Set<Permission>();
  for (const g of access.grants) if (g.permissions.has("roles:manage")) for (const p of g.permissions) held.add(p);
  if (!held.has("roles:manage")) return { ok: false, reason: "You need roles:manage." };
  const missing = [...rolePermissions].filter((p) => !held.has(p)).sort();
  if (missing.length) return { ok: false, reason: `A role cannot hold permissions you do not hold: ${missing.join(", ")}.`, missing };
  return { ok: true };
}
