import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { loadManagedMember, memberTargetSchema } from "./load-member-target";
import { issuePasswordReset } from "./request-password-reset";

/**
 * An administrator starts a reset: the member gets a link and chooses the password themselves.
 * There is deliberately no command that lets anyone set another person's password.
 */
export const sendMemberPasswordResetCommand = defineCommand({
  name: "member.password_reset.sent",
  description: "An administrator sent a member a password reset link (the member chooses the new password; an administrator can never set it).",
  access: { permission: "users:manage" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const member = await loadManagedMember(tx, principal, input.membershipId);
    if (member.status === "invited") throw new ConflictError(`${member.email} has not accepted their invitation yet: resend the invitation instead.`);
    if (member.status === "deactivated") throw new ConflictError(`${member.email} is deactivated: reactivate them first.`);
    if (member.userDisabled) throw new ConflictError(`${member.email} is disabled and cannot sign in anywhere.`);
    const mail = await issuePasswordReset(tx, { id: member.userId, email: member.email }, true);
    return {
      result: { mail },
      target: { type: "membership", id: member.membershipId },
      branchId: member.branchId,
      metadata: { member: member.email },
    };
  },
});
