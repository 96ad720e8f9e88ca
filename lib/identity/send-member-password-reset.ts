import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { assertReachesAccount, loadManagedMember, memberTargetSchema } from "./load-member-target";
import { issuePasswordReset, MAX_OUTSTANDING_RESETS } from "./request-password-reset";
import { passwordResetTtlSeconds } from "./token-lifetimes";

/**
 * An administrator starts a reset: the member gets a link and chooses the password themselves.
 * There is deliberately no command that lets anyone set another person's password. A password
 * belongs to the person, not to one of their orgs: only an org that owns the account (a verified
 * email domain) may start one, and within the same cap on outstanding links as "forgot password".
 */
export const sendMemberPasswordResetCommand = defineCommand({
  name: "member.password_reset.sent",
  description: "An administrator of an organization that owns the member's account (or the operator) sent them a password reset link; the member chooses the new password (an administrator can never set it). Any other organization is refused: the person uses \"Forgot password\" themselves.",
  access: { permission: "users:manage" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const member = await loadManagedMember(tx, principal, input.membershipId);
    // Before anything about the account itself (disabled or not) is read.
    await assertReachesAccount(tx, principal, member, "send them a password reset. Ask them to use “Forgot password” on the sign-in page.");
    if (member.status === "invited") throw new ConflictError(`${member.email} has not accepted their invitation yet: resend the invitation instead.`);
    if (member.status === "deactivated") throw new ConflictError(`${member.email} is deactivated: reactivate them first.`);
    if (member.userDisabled) throw new ConflictError(`${member.email} is disabled and cannot sign in anywhere.`);
    const mail = await issuePasswordReset(tx, { id: member.userId, email: member.email }, true);
    if (!mail) {
      const minutes = Math.round(passwordResetTtlSeconds() / 60);
      throw new ConflictError(`${member.email} already has ${MAX_OUTSTANDING_RESETS} unused reset links: ask them to check their mail, or try again once one expires (each works for ${minutes} minutes).`);
    }
    return {
      result: { mail },
      target: { type: "membership", id: member.membershipId, label: member.email },
      branchId: member.branchId,
      metadata: { member: member.email },
    };
  },
});
