import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { roles, ssoMappings } from "@/db/schema";
import type { Access } from "@/lib/access/access";
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
    const { role, branch } = await assertMayHandOut(tx, principal.access, orgId, input.roleId, input.branchId);
    const [row] = await tx.insert(ssoMappings).values({ orgId, connectionId: input.connectionId, claim: input.claim, value: input.value, roleId: role.id, branchId: branch?.id ?? null }).returning({ id: ssoMappings.id });
    return {
      result: { id: row!.id },
      target: { type: "sso_mapping", id: row!.id },
      branchId: branch?.id ?? null,
      metadata: { after: { connectionId: input.connectionId, claim: input.claim, value: input.value, role: role.name, branch: branch?.name ?? "(organization)" } },
    };
  },
});

/**
 * A rule (or a connection's default role) hands out a grant for as long as it exists: its author
 * must be able to make that grant themselves. No target member yet, so only the ceiling applies.
 */
export async function assertMayHandOut(tx: Executor, access: Access, orgId: string, roleId: string, branchId: string | null) {
  const [role] = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, roleId)));
  if (!role) notFound("Role");
  const branch = branchId ? ((await findBranch(tx, orgId, branchId)) ?? notFound("Branch")) : null;
  const rolePermissions = effectivePermissions(await loadRoleGraph(tx, orgId), role.id);
  const check = checkGrantDelegation(access, { actorMembershipId: null, targetMembershipId: "", rolePermissions, branchPath: branch?.path ?? "" });
  if (!check.ok) throw new ForbiddenError(check.reason, "users:manage");
  return { role, branch };
}
