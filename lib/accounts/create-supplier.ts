import { eq } from "drizzle-orm";
import { organizations } from "@/db/schema";
import { supplierRoleTemplates } from "@/lib/access/role-templates";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { insertRoleTemplates } from "@/lib/orgs/create-org";
import { findSupplier } from "./find-supplier";
import { createSupplierSchema } from "./schemas";

/**
 * Creates the installation's one supplier organization with the supplier's starter roles.
 * Operator only (`supplier create`, the demo seed). A second one is refused here, and a partial
 * unique index refuses it if two operators race.
 */
export const createSupplierCommand = defineCommand({
  name: "supplier.created",
  description: "The operator created the installation's supplier organization (there is exactly one) with the supplier's starter roles.",
  access: "system",
  input: createSupplierSchema,
  async run({ tx }, input) {
    const existing = await findSupplier(tx);
    if (existing) throw new ConflictError(`This installation already has its supplier, "${existing.name}" (${existing.slug}); there is exactly one.`);
    const [taken] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, input.slug));
    if (taken) throw new ConflictError(`The slug "${input.slug}" is already taken.`, "slug");
    const [org] = await tx.insert(organizations).values({ ...input, kind: "supplier" }).returning();
    await insertRoleTemplates(tx, org!.id, supplierRoleTemplates);
    return { result: org!, orgId: org!.id, target: { type: "organization", id: org!.id }, metadata: { after: { ...input, kind: "supplier" } } };
  },
});
