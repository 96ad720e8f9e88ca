import { and, eq } from "drizzle-orm";
import { grants, roles } from "@/db/schema";
import { includesAdminClass } from "@/lib/access/admin-class";
import { checkGrantDelegation } from "@/lib/access/delegation";
import { loadRoleGraph } from "@/lib/access/load-role-graph";
import { effectivePermissions } from "@/lib/access/role-graph";
import { findBranch } from "@/lib/branches/find-branch";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError, HiddenTargetError } from "@/lib/core/errors";
import { permissionsAt } from "@/lib/access/access";
import { loadMember } from "./load-grant-target";
import { addGrantSchema } from "./schemas";

/**
 * Grants a member a role at a branch (or the org root), covering its subtree. Delegation cannot
 * escalate: the actor needs users:manage there and must hold every permission the role gives.
 */
export const addGrantCommand = defineCommand({
  name: "grant.added",
  description: "A member was granted a role at a branch or at the organization root (with any expiry and approval limit).",
  access: { permission: "users:manage" },
  input: addGrantSchema,
  async run({ tx, principal, requireStepUp }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    // What the role hands out must not change between this check and the commit (a role edit).
    await lockOrg(tx, orgId, "roles", "shared");
    const member = await loadMember(tx, orgId, input.membershipId);
    const branch = input.branchId ? ((await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch")) : null;
    const [role] = await tx.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, input.roleId)));
    if (!role) notFound("Role");
    // A branch the actor cannot see at all is "not found", like a missing one.
    if (principal.access.kind !== "system" && (permissionsAt(principal.access, branch?.path ?? "") as Set<string>).size === 0) throw new HiddenTargetError("Branch", "users:manage");
    const rolePermissions = effectivePermissions(await loadRoleGraph(tx, orgId), role.id);
    const check = checkGrantDelegation(principal.access, { actorMembershipId: principal.membershipId, targetMembershipId: member.membershipId, rolePermissions, branchPath: branch?.path ?? "" });
    if (!check.ok) throw new ForbiddenError(check.reason, "users:manage");
    // Handing out an admin-class role is sensitive: a recent second factor, never an API token.
    if (includesAdminClass(rolePermissions)) requireStepUp("mfa", { apiTokens: "refuse" });
    const [grant] = await tx
      .insert(grants)
      .values({
        orgId,
        membershipId: member.membershipId,
        roleId: role.id,
        branchId: branch?.id ?? null,
        expiresAt: input.expiresAt ?? null,
        approvalLimitMinor: input.approvalLimitMinor ?? null,
        approvalLimitCurrency: input.approvalLimitCurrency ?? null,
      })
      .returning({ id: grants.id });
    return {
      result: { id: grant!.id },
      target: { type: "grant", id: grant!.id },
      branchId: branch?.id ?? null,
      metadata: {
        after: {
          member: member.email,
          role: role.name,
          branch: branch?.name ?? "(organization)",
          expiresAt: input.expiresAt?.toISOString() ?? null,
          approvalLimit: input.approvalLimitMinor != null ? `${input.approvalLimitMinor} ${input.approvalLimitCurrency}` : null,
        },
      },
    };
  },
});
