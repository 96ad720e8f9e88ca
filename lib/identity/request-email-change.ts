import { and, eq, isNull, sql } from "drizzle-orm";
import { oneTimeTokens, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { appLink } from "@/lib/mail/app-url";
import { emailChangeMessage, emailInUseMessage } from "@/lib/mail/messages";
import { requireSession } from "./sessions";
import { issueOneTimeToken } from "./one-time-tokens";
import type { PendingMail } from "./request-password-reset";
import { requestEmailChangeSchema } from "./email-change-form-schema";
import { emailChangeTtlSeconds } from "./token-lifetimes";

/**
 * Starts changing one's sign-in email. It needs a fresh sign-in (a stolen, idle session cannot
 * point the account at another mailbox), and the change happens only when the link mailed to the
 * new address is opened, so the person must be able to read it. An address that already has an
 * account gets a notice instead; the person asking is told the same either way.
 */
export const requestEmailChangeCommand = defineCommand({
  name: "account.email_change.requested",
  description: "A person asked to change their sign-in email to `newEmail`; a single-use link went to that address (or, when it already has an account, a notice saying so: `reason: address-in-use`). Their earlier unused email-change links stop working.",
  access: "authenticated",
  stepUp: { kind: "recent-auth" },
  input: requestEmailChangeSchema,
  async run({ tx, principal }, input) {
    const { userId } = requireSession(principal);
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw new ValidationError({ newEmail: ["cannot be changed: your account was not found"] });
    if (user.email.toLowerCase() === input.newEmail.toLowerCase()) throw new ValidationError({ newEmail: ["is already your email"] });
    // One live request at a time: a newer one retires the links of the older ones.
    await tx
      .update(oneTimeTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, "email_change"), isNull(oneTimeTokens.usedAt)));
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, input.newEmail.toLowerCase()));
    let mail: PendingMail;
    if (taken) {
      mail = { to: input.newEmail, message: emailInUseMessage({ link: appLink("/sign-in"), newEmail: input.newEmail }) };
    } else {
      const { token, expiresAt } = await issueOneTimeToken(tx, { purpose: "email_change", userId, newEmail: input.newEmail, ttlSeconds: emailChangeTtlSeconds() });
      mail = { to: input.newEmail, message: emailChangeMessage({ link: appLink("/account/email/confirm", { token }), expiresAt, newEmail: input.newEmail }) };
    }
    return {
      result: { mail },
      target: { type: "user", id: userId },
      metadata: { newEmail: input.newEmail, ...(taken ? { sent: false, reason: "address-in-use" } : { sent: true }) },
    };
  },
});
