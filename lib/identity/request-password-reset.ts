import type { CommandTx } from "@/lib/core/command-tx";
import { and, count, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { memberships, oneTimeTokens, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { appLink } from "@/lib/mail/app-url";
import { passwordResetMessage, type MailContent } from "@/lib/mail/messages";
import { passwordResetRequestSchema } from "./link-schemas";
import { issueOneTimeToken } from "./one-time-tokens";
import { passwordResetTtlSeconds } from "./token-lifetimes";

/** A mail the caller sends once the command has committed (never inside the transaction). */
export interface PendingMail {
  to: string;
  message: MailContent;
}

// Enough for a lost mail or two; more only fills a victim's inbox on a stranger's request.
export const MAX_OUTSTANDING_RESETS = 3;

/**
 * Issues a reset link for one user and builds its mail (TTL from PASSWORD_RESET_TTL_SECONDS), or
 * null when they already have MAX_OUTSTANDING_RESETS live links. Every reset goes through here,
 * "forgot password" and an owning org's administrator alike, so nobody can flood an inbox.
 */
export async function issuePasswordReset(tx: CommandTx, user: { id: string; email: string }, requestedByAdmin: boolean): Promise<PendingMail | null> {
  if ((await countOutstandingResets(tx, user.id)) >= MAX_OUTSTANDING_RESETS) return null;
  const { token, expiresAt } = await issueOneTimeToken(tx, { purpose: "password_reset", userId: user.id, ttlSeconds: passwordResetTtlSeconds() });
  return { to: user.email, message: passwordResetMessage({ link: appLink("/reset-password", { token }), expiresAt, requestedByAdmin }) };
}

/**
 * "Forgot password": sends a reset link when the email belongs to a user who could sign in.
 * The caller answers the same whatever happened and sends the mail after the response path, so
 * neither the answer nor its timing says whether the account exists; only the audit trail does.
 */
export const requestPasswordResetCommand = defineCommand({
  name: "auth.password_reset.requested",
  description:
    "Someone asked for a password reset link on the sign-in page. `sent` says whether a link was issued (the email belongs to an enabled user with an active or invited membership, who has not already had several recent links); the person asking is told the same either way.",
  access: "public",
  input: passwordResetRequestSchema,
  async run({ tx }, input) {
    const email = input.email;
    const [user] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(sql`lower(${users.email})`, email.toLowerCase()), isNull(users.disabledAt)));
    const eligible =
      user &&
      (await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.userId, user.id), inArray(memberships.status, ["active", "invited"])))
        .limit(1)).length > 0;
    const mail = eligible ? await issuePasswordReset(tx, user, false) : null;
    return {
      result: { mail },
      ...(mail && user ? { target: { type: "user", id: user.id } } : {}),
      metadata: { email, sent: mail !== null, ...(eligible && !mail ? { reason: "recently-sent" } : {}) },
    };
  },
});

async function countOutstandingResets(tx: Tx, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, "password_reset"), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)));
  return row?.n ?? 0;
}
