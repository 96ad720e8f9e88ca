import { and, count, eq } from "drizzle-orm";
import { grants, roleInherits, roles } from "@/db/schema";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/core/errors";
import { gainsAdminClass } from "@/lib/access/admin-class";
import { checkRoleEdit } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { deleteRoleSchema } from "./schemas";

/**
 * Deletes a role. If grants use it, the caller must say what happens to them: revoke them, or
 * move them to another role that holds no more than the editor does.
 */
export const deleteRoleCommand = defineCommand({
  name: "role.deleted",
  description: "A role was deleted; grants that used it were revoked or moved to another role, as the metadata says.",
  access: { permission: "roles:manage" },
  input: deleteRoleSchema,
  async run({ tx, principal, authorize, requireStepUp }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("roles:manage", "");
    await lockOrg(tx, orgId, "roles");
    const [role] = await tx.select().from(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, input.roleId)));
    if (!role) notFound("Role");
    const [inheritedBy] = await tx.select({ n: count() }).from(roleInherits).where(eq(roleInherits.inheritsRoleId, role.id));
    if (inheritedBy!.n > 0) throw new ConflictError(`Other roles inherit "${role.name}"; remove it from them first.`, "roleId");
    const [used] = await tx.select({ n: count() }).from(grants).where(eq(grants.roleId, role.id));
    const inUse = used!.n;
    if (inUse > 0 && !input.grants) throw new ValidationError({ grants: [`"${role.name}" is granted ${inUse} time(s): choose "revoke" or { reassignTo: roleId }`] });
    let reassignedTo: string | null = null;
    if (inUse > 0 && input.grants === "revoke") await tx.delete(grants).where(eq(grants.roleId, role.id));
    if (inUse > 0 && typeof input.grants === "object") {
      const [target] = await tx.select().from(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, input.grants.reassignTo)));
      if (!target || target.id === role.id) throw new ValidationError({ "grants.reassignTo": ["must be another role of this organization"] });
      // Moving grants to a bigger role would escalate their holders: the editor must hold all of
      // it at the org root, and new admin-class permissions need a recent second factor.
      const graph = await loadRoleGraph(tx, orgId);
      const moved = effectivePermissions(graph, target.id);
      const check = checkRoleEdit(principal.access, moved);
      if (!check.ok) throw new ForbiddenError(check.reason, "roles:manage");
      if (gainsAdminClass(effectivePermissions(graph, role.id), moved)) requireStepUp("mfa", { apiTokens: "refuse" });
      await tx.update(grants).set({ roleId: target.id }).where(eq(grants.roleId, role.id));
      reassignedTo = target.name;
    }
    await tx.delete(roleInherits).where(eq(roleInherits.roleId, role.id));
    await tx.delete(roles).where(eq(roles.id, role.id));
    return {
      result: { id: role.id, grantsAffected: inUse },
      target: { type: "role", id: role.id },
      metadata: { before: { name: role.name, permissions: role.permissions }, grants: inUse === 0 ? "none" : reassignedTo ? `reassigned to ${reassignedTo}` : "revoked", grantsAffected: inUse },
    };
  },
});
