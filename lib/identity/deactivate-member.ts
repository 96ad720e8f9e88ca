import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ForbiddenError } from "@/lib/core/errors";
import { authorizeMemberChange, loadMemberTarget, memberTargetSchema } from "./load-member-target";
import { deactivateMembership } from "./member-status";

/**
 * Takes a member out of the org at once. In one transaction: the membership is deactivated (no
 * request in this org is accepted from the next one on), its sessions here are ended, so a
 * reactivation needs a fresh sign-in, and every API token of the membership is revoked: there is
 * no moment when the person is deactivated but still holding a working token. Their sessions in
 * other orgs are theirs and stay. Their grants stay, for a reactivation; their open invitation
 * links stop working.
 */
export const deactivateMemberCommand = defineCommand({
  name: "member.deactivated",
  description: "An administrator deactivated a member: in the same transaction the member's sessions in this organization ended (their other organizations are not affected) and every API token of the membership was revoked (`tokensRevoked`).",
  access: { permission: "users:manage" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const member = await loadMemberTarget(tx, orgId, input.membershipId);
    // Before the permission check, so trying it on oneself is refused as such.
    if (principal.membershipId === member.membershipId) throw new ForbiddenError("You cannot deactivate yourself; ask another administrator.", "users:manage");
    authorizeMemberChange(principal, member);
    if (member.status === "deactivated") throw new ConflictError(`${member.email} is already deactivated.`);
    const tokensRevoked = await deactivateMembership(tx, orgId, member);
    return {
      result: { tokensRevoked },
      target: { type: "membership", id: member.membershipId, label: member.email },
      branchId: member.branchId,
      metadata: { member: member.email, before: { status: member.status }, after: { status: "deactivated" }, tokensRevoked },
    };
  },
});
