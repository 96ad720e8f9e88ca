import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq } from "drizzle-orm";
import { roleInherits, roles } from "@/db/schema";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound } from "@/lib/core/command";
import { rolesGainingAdminClass } from "@/lib/access/admin-class";
import { anyGranted, roleNames, validateRoleFields } from "./save-role";
import { updateRoleSchema } from "./schemas";

/** Edits a role: name, description, direct permissions and inherited roles. */
export const updateRoleCommand = defineCommand({
  name: "role.updated",
  description: "A role's name, description, permissions or inherited roles were changed (before and after in the metadata).",
  access: { permission: "roles:manage" },
  input: updateRoleSchema,
  async run({ tx, principal, authorize, requireStepUp }, input) {
    // Roles belong to the whole org, so managing them is an org-level act (as deleting one is).
    authorize("roles:manage", "", "Organization");
    const orgId = principal.org?.id ?? notFound("Organization");
    // Role edits take turns: two edits (A inherits B, B inherits A) each pass the cycle check on
    // the graph as it was, and together close a cycle.
    await lockOrg(tx, orgId, "roles");
    const [before] = await tx.select().from(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, input.roleId)));
    if (!before) notFound("Role");
    const beforeInherits = (await tx.select({ id: roleInherits.inheritsRoleId }).from(roleInherits).where(eq(roleInherits.roleId, before.id))).map((r) => r.id);
    const graphs = await validateRoleFields(tx, principal.access, orgId, before.id, input);
    // Handing an admin-class permission to everyone who holds the role (or a role inheriting it)
    // is like granting it to them: a recent second factor, never an API token.
    if (await anyGranted(tx, orgId, rolesGainingAdminClass(graphs.before, graphs.graph, before.id))) requireStepUp("mfa", { apiTokens: "refuse" });
    await tx.update(roles).set({ name: input.name, description: input.description, permissions: input.permissions }).where(eq(roles.id, before.id));
    await replaceInherits(tx, orgId, before.id, input.inherits);
    return {
      result: { id: before.id },
      target: { type: "role", id: before.id },
      metadata: {
        before: { name: before.name, description: before.description, permissions: [...before.permissions].sort(), inherits: await roleNames(tx, beforeInherits) },
        after: { name: input.name, description: input.description, permissions: [...input.permissions].sort(), inherits: await roleNames(tx, input.inherits) },
      },
    };
  },
});

/** Sets a role's inherited roles to exactly `inherits`. */
export async function replaceInherits(tx: CommandTx, orgId: string, roleId: string, inherits: string[]): Promise<void> {
  await tx.delete(roleInherits).where(eq(roleInherits.roleId, roleId));
  if (inherits.length) await tx.insert(roleInherits).values(inherits.map((parent) => ({ orgId, roleId, inheritsRoleId: parent })));
}
