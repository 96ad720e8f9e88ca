import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { branches, grants, roles } from "@/db/schema";
import { permissionsAt } from "@/lib/access/access";
import { includesAdminClass } from "@/lib/access/admin-class";
import { checkGrantDelegation } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { findBranch } from "@/lib/branches/find-branch";
import { lockOrg } from "@/lib/core/advisory-lock";
import type { CommandContext } from "@/lib/core/command";
import { ForbiddenError, HiddenTargetError, ValidationError } from "@/lib/core/errors";
import type { MemberTarget } from "./load-member-target";

export const grantSetSchema = z
  .array(z.object({ roleId: z.uuid({ message: "must be a role id" }), branchId: z.uuid({ message: "must be a branch id" }).nullish() }).strict(), { message: "must be a list of { roleId, branchId } grants" })
  .max(50, "must hold at most 50 grants");
export type GrantSet = z.infer<typeof grantSetSchema>;

const keyOf = (g: { roleId: string; branchId?: string | null }) => `${g.roleId}@${g.branchId ?? ""}`;

export interface GrantChange {
  role: string;
  branch: string;
}

/**
 * Makes a member's grants exactly `wanted`, in the calling command's transaction: changing a role
 * is one step (replace), never add-then-revoke with a moment in between. Grants already held are
 * kept as they are (expiry and limits too). Each removed grant needs users:manage at its branch,
 * each added one the same and the no-escalation rule of any grant; an admin-class role needs a
 * recent second factor. Nobody replaces their own grants.
 */
export async function replaceMemberGrants({ tx, principal, authorize, requireStepUp }: CommandContext, orgId: string, member: MemberTarget, wanted: GrantSet): Promise<{ added: GrantChange[]; removed: GrantChange[] }> {
  if (principal.membershipId === member.membershipId) throw new ForbiddenError("You cannot change your own grants.", "users:manage");
  await lockOrg(tx, orgId, "roles", "shared");
  const current = await tx
    .select({ id: grants.id, roleId: grants.roleId, branchId: grants.branchId, role: roles.name, branch: branches.name, path: branches.path })
    .from(grants)
    .innerJoin(roles, eq(roles.id, grants.roleId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(and(eq(grants.orgId, orgId), eq(grants.membershipId, member.membershipId)));
  const wantedKeys = new Set(wanted.map(keyOf));
  const heldKeys = new Set(current.map(keyOf));
  const removed = current.filter((g) => !wantedKeys.has(keyOf(g)));
  for (const g of removed) authorize("users:manage", g.path ?? "", "Grant");
  const toAdd = wanted.filter((g, i) => !heldKeys.has(keyOf(g)) && wanted.findIndex((w) => keyOf(w) === keyOf(g)) === i);
  const graph = toAdd.length ? await loadRoleGraph(tx, orgId) : null;
  const added: GrantChange[] = [];
  const rows: Array<typeof grants.$inferInsert> = [];
  for (const g of toAdd) {
    const index = wanted.indexOf(g);
    const [role] = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, g.roleId)));
    if (!role) throw new ValidationError({ [`grants.${index}.roleId`]: ["is not a role of this organization"] });
    const branch = g.branchId ? await findBranch(tx, orgId, g.branchId) : null;
    if (g.branchId && !branch) throw new ValidationError({ [`grants.${index}.branchId`]: ["is not a branch of this organization"] });
    const path = branch?.path ?? "";
    // A branch the actor cannot see at all is "not found", like a missing one.
    if (principal.access.kind !== "system" && (permissionsAt(principal.access, path) as Set<string>).size === 0) throw new HiddenTargetError("Branch", "users:manage");
    authorize("users:manage", path);
    const rolePermissions = effectivePermissions(graph!, role.id);
    const check = checkGrantDelegation(principal.access, { actorMembershipId: principal.membershipId, targetMembershipId: member.membershipId, rolePermissions, branchPath: path });
    if (!check.ok) throw new ForbiddenError(check.reason, "users:manage");
    if (includesAdminClass(rolePermissions)) requireStepUp("mfa", { apiTokens: "refuse" });
    rows.push({ orgId, membershipId: member.membershipId, roleId: role.id, branchId: branch?.id ?? null });
    added.push({ role: role.name, branch: branch?.name ?? "(organization)" });
  }
  if (removed.length) await tx.delete(grants).where(and(eq(grants.orgId, orgId), inArray(grants.id, removed.map((g) => g.id))));
  if (rows.length) await tx.insert(grants).values(rows);
  return { added, removed: removed.map((g) => ({ role: g.role, branch: g.branch ?? "(organization)" })) };
}
