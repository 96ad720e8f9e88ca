import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { oneTimeTokens, users } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId, type Principal } from "@/lib/core/context";
import { ConflictError } from "@/lib/core/errors";
import { appLink } from "@/lib/mail/app-url";
import { invitationMessage } from "@/lib/mail/messages";
import { loadManagedMember, memberTargetSchema } from "./load-member-target";
import { issueOneTimeToken } from "./one-time-tokens";
import type { PendingMail } from "./request-password-reset";
import { invitationTtlSeconds } from "./token-lifetimes";

/**
 * Issues an invitation link for one membership (TTL from INVITATION_TTL_SECONDS) and builds its
 * mail. Earlier links of that membership stop working, so only the newest mail is live.
 */
export async function issueInvitation(tx: CommandTx, principal: Principal, invitee: { userId: string; membershipId: string; email: string }): Promise<PendingMail> {
  const org = principal.org ?? notFound("Organization");
  await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(oneTimeTokens.membershipId, invitee.membershipId), eq(oneTimeTokens.purpose, "invitation"), isNull(oneTimeTokens.usedAt)));
  const { token, expiresAt } = await issueOneTimeToken(tx, { purpose: "invitation", userId: invitee.userId, membershipId: invitee.membershipId, orgId: org.id, ttlSeconds: invitationTtlSeconds() });
  return {
    to: invitee.email,
    message: invitationMessage({ orgName: org.name, inviterName: await inviterName(tx, principal), link: appLink("/invitation", { token }), expiresAt }),
  };
}

// The inviter's display name as the invitee would know them; the operator has no person behind it.
async function inviterName(tx: Tx, principal: Principal): Promise<string> {
  const userId = actorUserId(principal.actor);
  if (!userId) return `An administrator of ${principal.org?.name ?? "your organization"}`;
  const [user] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return user?.name ?? principal.actor.label;
}

/** Sends an invited member a fresh link (the old one was lost, or has expired). */
export const resendInvitationCommand = defineCommand({
  name: "member.invitation.resent",
  description: "An administrator sent an invited member a new invitation link; earlier links for that membership stopped working.",
  access: { permission: "users:manage" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const member = await loadManagedMember(tx, principal, input.membershipId);
    if (member.status !== "invited") throw new ConflictError(`${member.email} is ${member.status}, not invited: there is no invitation to resend.`);
    const mail = await issueInvitation(tx, principal, member);
    return {
      result: { mail },
      target: { type: "membership", id: member.membershipId, label: member.email },
      branchId: member.branchId,
      metadata: { member: member.email },
    };
  },
});
