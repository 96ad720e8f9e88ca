import { eq } from "drizzle-orm";
import { organizations } from "@/db/schema";
import { insertRoleTemplates } from "@/lib/access/insert-role-templates";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { createOrgSchema } from "./schemas";

/** Creates an organization with its starter roles. Operator only, until self-service sign-up. */
export const createOrgCommand = defineCommand({
  name: "org.created",
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
