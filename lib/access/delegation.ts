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
 * Role editing without escalation: a role may hold only permissions the editor holds at the org
 * root, and editing needs roles:manage there. Roles are org-wide, so a permission the editor
 * holds only at some branch would reach the whole org through any root grant of the role, the
 * editor's own included. Also the ceiling for moving grants to another role (deleteRole).
 */
export function checkRoleEdit(access: Access, rolePermissions: ReadonlySet<Permission>): DelegationCheck {
  if (access.kind === "system") return { ok: true };
  if (access.kind === "none") return { ok: false, reason: "Not an active member of this organization." };
  const held = permissionsAt(access, "") as Set<Permission>;
  if (!held.has("roles:manage")) return { ok: false, reason: "You need roles:manage across the whole organization." };
  const missing = [...rolePermissions].filter((p) => !held.has(p)).sort();
  if (missing.length) return { ok: false, reason: `A role cannot hold permissions you do not hold across the whole organization: ${missing.join(", ")}.`, missing };
  return { ok: true };
}

/**
 * Moving a branch without escalation: the moved subtree falls under every grant above its new
 * parent, so the mover must already hold, at the branch, everything their own grants there would
 * give them over it. A move within one's own grants, or to the top of the tree, always passes.
 */
export function checkBranchMove(access: Access, a: { branchPath: string; newParentPath: string }): DelegationCheck {
  if (access.kind === "system") return { ok: true };
  const wouldGet = permissionsAt(access, a.newParentPath) as Set<Permission>;
  const holds = permissionsAt(access, a.branchPath) as Set<Permission>;
  const missing = [...wouldGet].filter((p) => !holds.has(p)).sort();
  if (missing.length) return { ok: false, reason: `Moving it there would give you permissions over it that you do not hold there now: ${missing.join(", ")}.`, missing };
  return { ok: true };
}
