import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { oneTimeTokens, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { violatedUniqueIndex } from "@/lib/core/unique-violation";
import { ConflictError, UnauthorizedError } from "@/lib/core/errors";
import { appLink } from "@/lib/mail/app-url";
import { emailChangedNotice } from "@/lib/mail/messages";
import { consumeToken, oneTimeTokenSchema } from "./one-time-tokens";
import type { PendingMail } from "./request-password-reset";

const ADDRESS_TAKEN = "That address now belongs to another account, so your email was not changed.";

export const INVALID_EMAIL_CHANGE_LINK = "This link has expired or was already used. Ask for a new one on your Security page.";

/**
 * Opens an email-change link: the address it was mailed to becomes the sign-in email. The link
 * alone is the proof (it may be opened in another browser); the request behind it needed a fresh
 * sign-in. The old address is told, so a change nobody asked for does not go unnoticed, and reset
 * links still live die with the change (whoever reads the old mailbox must not get back in).
 */
export const confirmEmailChangeCommand = defineCommand({
  name: "account.email_changed",
  description: "A person confirmed a new sign-in email through the link mailed to it; `from` and `to` are the old and new addresses, and a notice went to the old one. Their unused password reset links (mailed to the old address) were retired in the same transaction (`resetLinksRetired`). A used, expired or unknown link records the denied action instead.",
  deniedAction: "account.email_change.failed",
  access: "public",
  input: z.object({ token: oneTimeTokenSchema }),
  async run({ tx }, input) {
    const used = await consumeToken(tx, input.token, "email_change");
    if (!used?.newEmail) throw new UnauthorizedError(INVALID_EMAIL_CHANGE_LINK, { reason: "token-invalid" });
    const [user] = await tx.select({ id: users.id, email: users.email, disabledAt: users.disabledAt }).from(users).where(eq(users.id, used.userId));
    if (!user || user.disabledAt) throw new UnauthorizedError(INVALID_EMAIL_CHANGE_LINK, { reason: "user-disabled" });
    // Someone may have taken the address since the link was mailed.
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(sql`lower(${users.email})`, used.newEmail.toLowerCase()), ne(users.id, user.id)));
    if (taken) throw new ConflictError(ADDRESS_TAKEN);
    // Two people confirming the same address at once both pass the check above; the unique index
    // stops the second, which is told the same.
    await tx
      .update(users)
      .set({ email: used.newEmail })
      .where(eq(users.id, user.id))
      .catch((error: unknown) => {
        throw violatedUniqueIndex(error) === "users_email_lower_uq" ? new ConflictError(ADDRESS_TAKEN, "email") : error;
      });
    // Reset links went to the old address, which may no longer be theirs: none outlives the change.
    const resetsRetired = await tx
      .update(oneTimeTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, "password_reset"), isNull(oneTimeTokens.usedAt)))
      .returning({ id: oneTimeTokens.id });
    const notice: PendingMail = { to: user.email, message: emailChangedNotice({ link: appLink("/account/security"), newEmail: used.newEmail }) };
    return {
      result: { email: used.newEmail, notice },
      actor: { type: "user", userId: user.id, label: used.newEmail },
      target: { type: "user", id: user.id },
      metadata: { from: user.email, to: used.newEmail, resetLinksRetired: resetsRetired.length },
    };
  },
});
