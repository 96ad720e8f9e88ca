import { and, eq, isNull, sql } from "drizzle-orm";
import type { CommandTx } from "@/lib/core/command-tx";
import { z } from "zod";
import { memberships, organizations, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { consumeToken, findLiveToken, oneTimeTokenSchema } from "./one-time-tokens";
import { checkNewPassword } from "./password-policy";
import { hasSecondFactorSql, mfaRequiredSql } from "./mfa-policy";
import { openSession } from "./open-session";
import { hashPassword } from "./passwords";
import type { PendingSignIn } from "./resolve-session";
import { passwordSignInPolicy } from "./sso-password-policy";

export const INVALID_INVITATION_LINK = "This invitation link has expired or was already used. Ask the person who invited you to send a new one.";

export const acceptInvitationSchema = z.object({
  token: oneTimeTokenSchema,
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters").optional(),
  // Required only for a person who has no password yet (checked in the body, with the policy).
  password: z.string().max(4096, "must be at most 1024 characters").optional(),
});

/**
 * Accepts an invitation; the membership becomes active. A new person, who has no password yet,
 * chooses their name and password: the link proves the mailbox, which is all a new account has.
 * Someone who already has an account must be signed in as that account: a link forwarded to, or
 * intercepted by, someone else must not join another person's account to an org. Anyone else
 * gets the same "invalid link" answer and the link stays usable. A new person who just chose
 * their password is signed in, as password sign-in would sign them in (the same sessions row,
 * pending enrollment when MFA is due for them), unless the org that owns their address requires
 * SSO: then they sign in there.
 */
export const acceptInvitationCommand = defineCommand({
  name: "invitation.accepted",
  description: "An invited person accepted their invitation and their membership became active: a new person chose a password (`passwordSet`) and was signed in by it (the session opened, `sessionId`, and `pending` when MFA enrollment is due); someone with an account accepted signed in as themselves. A used, expired or unknown link, or an existing account's link opened without that person signed in, records the denied action instead.",
  deniedAction: "invitation.accept.failed",
  access: "public",
  input: acceptInvitationSchema,
  async run({ tx, principal, meta }, input) {
    const live = await findLiveToken(tx, input.token, "invitation");
    if (!live?.membershipId || !live.orgId) throw new UnauthorizedError(INVALID_INVITATION_LINK, { reason: "token-invalid" });
    const [row] = await tx
      .select({ userId: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, disabledAt: users.disabledAt, status: memberships.status, orgSlug: organizations.slug })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(eq(memberships.id, live.membershipId));
    if (!row || row.disabledAt || row.status !== "invited") throw new UnauthorizedError(INVALID_INVITATION_LINK, { reason: row?.status === "invited" ? "user-disabled" : "not-invited" });

    const setsPassword = !row.passwordHash;
    if (!setsPassword) {
      const signedInAs = principal.actor.type === "user" && principal.sessionId ? principal.actor.userId : null;
      if (signedInAs !== row.userId) throw new UnauthorizedError(INVALID_INVITATION_LINK, { reason: signedInAs ? "signed-in-as-someone-else" : "sign-in-required" });
    }
    const name = setsPassword ? (input.name ?? row.name) : row.name;
    if (setsPassword) {
      const weak = input.password ? checkNewPassword(input.password, { email: row.email, name }) : "is required";
      if (weak) throw new ValidationError({ password: [weak] });
    }

    const used = await consumeToken(tx, input.token, "invitation");
    if (!used) throw new UnauthorizedError(INVALID_INVITATION_LINK, { reason: "token-invalid" });
    // Guarded by "no password yet", so a stale link can never overwrite a password set since
    // (another org's invitation accepted a moment earlier, say).
    const passwordSet =
      setsPassword &&
      (await tx
        .update(users)
        .set({ passwordHash: await hashPassword(input.password!), name })
        .where(and(eq(users.id, row.userId), isNull(users.passwordHash)))
        .returning({ id: users.id })).length > 0;
    // Joined: from now on the org sees the person's own email and name, not what the inviter typed.
    await tx
      .update(memberships)
      .set({ status: "active", invitedEmail: null, invitedName: null })
      .where(and(eq(memberships.id, live.membershipId), eq(memberships.status, "invited")));
    // Someone else signed in on this browser keeps their session; the new person signs in next.
    const session = passwordSet && !principal.sessionId ? await openSessionAfterAccepting(tx, row.userId, row.email, meta) : null;
    return {
      result: { userId: row.userId, email: row.email, membershipId: live.membershipId, orgId: live.orgId, orgSlug: row.orgSlug, passwordSet, sessionToken: session?.token ?? null, pending: session?.pending ?? null },
      actor: { type: "user", userId: row.userId, label: row.email },
      orgId: live.orgId,
      target: { type: "membership", id: live.membershipId, label: row.email },
      metadata: { before: { status: "invited" }, after: { status: "active" }, passwordSet, ...(session ? { sessionId: session.id, pending: session.pending } : {}) },
    };
  },
});

/**
 * The session a new person's first password opens: exactly what signing in with it would give
 * (sign-in.ts), checked in the same transaction that set the password and activated the
 * membership, so MFA that is due (the org requires it, or the role is admin-class) is due now.
 */
async function openSessionAfterAccepting(tx: CommandTx, userId: string, email: string, meta: { ip: string | null; userAgent: string | null }): Promise<{ id: string; token: string; pending: PendingSignIn | null } | null> {
  const sso = await passwordSignInPolicy(tx, userId, email);
  if (sso && !sso.breakGlass) return null;
  const [due] = await tx.execute<{ hasFactor: boolean; required: boolean }>(sql`select ${hasSecondFactorSql(userId)} as "hasFactor", ${mfaRequiredSql(userId)} as required`);
  const pending: PendingSignIn | null = due?.hasFactor ? "mfa" : due?.required ? "enrollment" : null;
  const session = await openSession(tx, { userId, ip: meta.ip, userAgent: meta.userAgent, pending });
  return { ...session, pending };
}
