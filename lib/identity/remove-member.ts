import { and, eq } from "drizzle-orm";
import { branches, grants, memberships, roles } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { authorizeMemberChange, loadMemberTarget, memberTargetSchema } from "./load-member-target";

/**
 * DELETE /api/v1/members/{id} and `member remove`: the membership goes, with its grants, API
 * tokens and open invitation links (their foreign keys cascade), so nothing of it works from the
 * next request on. The person's account and their other orgs stay. What they were here stays in
 * the audit trail: this event records their email, status and grants.
 */
export const removeMemberCommand = defineCommand({
  name: "member.removed",
  description: "An administrator removed a member from the organization: the membership, its grants and API tokens are gone (the person's account and other organizations stay). `before` records the member's email, status and grants.",
  access: { permission: "users:manage" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const member = await loadMemberTarget(tx, orgId, input.membershipId);
    if (principal.membershipId === member.membershipId) throw new ForbiddenError("You cannot remove yourself; ask another administrator.", "users:manage");
    authorizeMemberChange(principal, member);
    const held = await tx
      .select({ role: roles.name, branch: branches.name })
      .from(grants)
      .innerJoin(roles, eq(roles.id, grants.roleId))
      .leftJoin(branches, eq(branches.id, grants.branchId))
      .where(and(eq(grants.orgId, orgId), eq(grants.membershipId, member.membershipId)));
    await tx.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.id, member.membershipId)));
    return {
      result: { membershipId: member.membershipId, removed: true },
      target: { type: "membership", id: member.membershipId, label: member.email },
      branchId: member.branchId,
      metadata: { member: member.email, before: { status: member.status, grants: held.map((g) => ({ role: g.role, branch: g.branch ?? "(organization)" })) } },
    };
  },
});
