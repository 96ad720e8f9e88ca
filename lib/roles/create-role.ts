import { randomUUID } from "node:crypto";
import { roles } from "@/db/schema";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound } from "@/lib/core/command";
import { roleNames, validateRoleFields } from "./save-role";
import { createRoleSchema } from "./schemas";
import { replaceInherits } from "./update-role";

/** Creates a role; it may inherit other roles, and never holds more than its creator. */
export const createRoleCommand = defineCommand({
  name: "role.created",
  description: "A role was created with its permissions and inherited roles.",
  access: { permission: "roles:manage" },
  input: createRoleSchema,
  async run({ tx, principal, authorize }, input) {
    // Roles belong to the whole org, so managing them is an org-level act (as deleting one is).
    authorize("roles:manage", "", "Organization");
    const orgId = principal.org?.id ?? notFound("Organization");
    await lockOrg(tx, orgId, "roles");
    const id = randomUUID();
    const { effective } = await validateRoleFields(tx, principal.access, orgId, id, input);
    await tx.insert(roles).values({ id, orgId, name: input.name, description: input.description, permissions: input.permissions });
    await replaceInherits(tx, orgId, id, input.inherits);
    return {
      result: { id },
      target: { type: "role", id },
      metadata: { after: { name: input.name, permissions: [...input.permissions].sort(), inherits: await roleNames(tx, input.inherits), effective: [...effective].sort() } },
    };
  },
});
