import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { loadManagedMember, memberTargetSchema } from "./load-member-target";
import { reactivateMembership } from "./member-status";

/**
 * Lets a deactivated member back in with the grants they still hold (as invited again if they
 * never accepted their invitation: resend it then). Nothing that deactivation ended comes back:
 * they sign in again to act here, and an API token has to be issued anew.
 */
export const reactivateMemberCommand = defineCommand({
  name: "member.reactivated",
  description: "An administrator reactivated a deactivated member: `after.status` is active, or invited when they had never accepted their invitation (sessions and API tokens ended by the deactivation stay ended).",
  access: { permission: "users:manage" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const member = await loadManagedMember(tx, principal, input.membershipId);
    if (member.status !== "deactivated") throw new ConflictError(`${member.email} is ${member.status}, not deactivated.`);
    const status = await reactivateMembership(tx, member);
    return {
      result: { status },
      target: { type: "membership", id: member.membershipId, label: member.email },
      branchId: member.branchId,
      metadata: { member: member.email, before: { status: "deactivated" }, after: { status } },
    };
  },
});
