import type { CommandTx } from "@/lib/core/command-tx";
import { eq } from "drizzle-orm";
import { organizations, roleInherits, roles } from "@/db/schema";
import { roleTemplates, type RoleTemplate } from "@/lib/access/role-templates";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { createOrgSchema } from "./schemas";

/** Creates an organization with its starter roles. Operator only, until self-service sign-up. */
export const createOrgCommand = defineCommand({
  name: "org.created",
  description: "The operator created an organization with its starter roles (filed under the new organization's own chain).",
  access: "system",
  input: createOrgSchema,
  async run({ tx }, input) {
    const [taken] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, input.slug));
    if (taken) throw new ConflictError(`The slug "${input.slug}" is already taken.`, "slug");
    const [org] = await tx.insert(organizations).values(input).returning();
    await insertRoleTemplates(tx, org!.id);
    return { result: org!, orgId: org!.id, target: { type: "organization", id: org!.id }, metadata: { after: input } };
  },
});

/** A new org's starter roles and their inheritance edges, created with the org (the supplier's differ). */
export async function insertRoleTemplates(tx: CommandTx, orgId: string, templates: readonly RoleTemplate[] = roleTemplates): Promise<void> {
  const rows = await tx
    .insert(roles)
    .values(templates.map((t) => ({ orgId, name: t.name, description: t.description, permissions: t.permissions })))
    .returning({ id: roles.id, name: roles.name });
  const idOf = new Map(rows.map((r) => [r.name, r.id]));
  const edges = templates.flatMap((t) => t.inherits.map((parent) => ({ orgId, roleId: idOf.get(t.name)!, inheritsRoleId: idOf.get(parent)! })));
  if (edges.length) await tx.insert(roleInherits).values(edges);
}
