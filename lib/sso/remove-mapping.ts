import { and, eq } from "drizzle-orm";
import { branches, roles, ssoMappings } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { removeMappingSchema } from "./admin-schemas";

/**
 * Removes a mapping rule. The grants it made stay until each person's next sign-in through the
 * connection, which removes the mapped grants no rule gives any more (apply-sso-member.ts); a
 * grant given by hand is never touched.
 */
export const removeMappingCommand = defineCommand({
  name: "sso.mapping.removed",
  description: "An SSO mapping rule was removed; the grants it made are taken away at each person's next sign-in through the connection.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: removeMappingSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const [found] = await tx
      .select({ m: ssoMappings, role: roles.name, branch: branches.name })
      .from(ssoMappings)
      .innerJoin(roles, eq(roles.id, ssoMappings.roleId))
      .leftJoin(branches, eq(branches.id, ssoMappings.branchId))
      .where(and(eq(ssoMappings.orgId, orgId), eq(ssoMappings.id, input.mappingId)));
    if (!found) notFound("Mapping rule");
    await tx.delete(ssoMappings).where(and(eq(ssoMappings.orgId, orgId), eq(ssoMappings.id, found.m.id)));
    return {
      result: { id: found.m.id, removed: true },
      target: { type: "sso_mapping", id: found.m.id },
      branchId: found.m.branchId,
      metadata: { before: { connectionId: found.m.connectionId, claim: found.m.claim, value: found.m.value, role: found.role, branch: found.branch ?? "(organization)" } },
    };
  },
});
