import { and, eq } from "drizzle-orm";
import { roles, ssoMappings } from "@/db/schema";
import { checkGrantDelegation } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { findBranch } from "@/lib/branches/find-branch";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { findConnection } from "./load-connection";
import { addMappingSchema } from "./schemas";

/**
 * A mapping rule: people whose claim holds a value get a role at a branch, re-applied at every
 * sign-in. A rule hands out grants for as long as it exists, so it obeys delegation exactly as a
 * grant does: its author must be able to make that grant themselves (users:manage there and
 * every permission of the role).
 */
export const addMappingCommand = defineCommand({
  name: "sso.mapping.added",
  description: "An SSO mapping rule was added: people whose claim holds the value get the role at the branch (or the organization root) at their next sign-in.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: addMappingSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    await lockOrg(tx, orgId, "roles", "shared");
    if (!(await findConnection(tx, orgId, input.connectionId))) notFound("Connection");
    const [role] = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, input.roleId)));
    if (!role) notFound("Role");
    const branch = input.branchId ? ((await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch")) : null;
    const rolePermissions = effectivePermissions(await loadRoleGraph(tx, orgId), role.id);
    // No target member yet: nobody can be "themselves" here, only the ceiling applies.
    const check = checkGrantDelegation(principal.access, { actorMembershipId: null, targetMembershipId: "", rolePermissions, branchPath: branch?.path ?? "" });
    if (!check.ok) throw new ForbiddenError(check.reason, "users:manage");
    const [row] = await tx.insert(ssoMappings).values({ orgId, connectionId: input.connectionId, claim: input.claim, value: input.value, roleId: role.id, branchId: branch?.id ?? null }).returning({ id: ssoMappings.id });
    return {
      result: { id: row!.id },
      target: { type: "sso_mapping", id: row!.id },
      branchId: branch?.id ?? null,
      metadata: { after: { connectionId: input.connectionId, claim: input.claim, value: input.value, role: role.name, branch: branch?.name ?? "(organization)" } },
    };
  },
});
