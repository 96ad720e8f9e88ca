import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { oneTimeTokens, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { accountKey, clearFailures } from "./checks/throttle";
import { checkNewPassword } from "./password-policy";
import { consumeToken, findLiveToken, oneTimeTokenSchema } from "./one-time-tokens";
import { hashPassword } from "./passwords";
import { revokeUserSessions } from "./revoke-member-sessions";

export const INVALID_RESET_LINK = "This reset link has expired or was already used. Ask for a new one.";

export const completePasswordResetSchema = z.object({
  token: oneTimeTokenSchema,
  // A coarse bound only; the policy (length in code points, common passwords) runs once the
  // link is known to be live, with the user's email and name to compare against.
  password: z.string().min(1, "is required").max(4096, "must be at most 1024 characters"),
});

/**
 * Sets a new password through a reset link. It ends every session of the user (whoever had the
 * old password is signed out), retires their other reset links and lifts a sign-in block. It
 * does not sign anyone in: the next sign-in asks for the second factor as usual.
 */
export const completePasswordResetCommand = defineCommand({
  name: "auth.password_reset.completed",
  description: "A person chose a new password through a reset link. Every session of theirs was ended, their other reset links retired and their failed sign-ins cleared; `sessionsEnded` counts the sessions. A used, expired or unknown link records the denied action instead.",
  deniedAction: "auth.password_reset.failed",
  access: "public",
  input: completePasswordResetSchema,
  async run({ tx }, input) {
    const live = await findLiveToken(tx, input.token, "password_reset");
    if (!live) throw new UnauthorizedError(INVALID_RESET_LINK, { reason: "token-invalid" });
    const [user] = await tx.select({ id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt }).from(users).where(eq(users.id, live.userId));
    if (!user || user.disabledAt) throw new UnauthorizedError(INVALID_RESET_LINK, { reason: "user-disabled" });
    const weak = checkNewPassword(input.password, { email: user.email, name: user.name });
    if (weak) throw new ValidationError({ password: [weak] });

    const used = await consumeToken(tx, input.token, "password_reset");
    if (!used) throw new UnauthorizedError(INVALID_RESET_LINK, { reason: "token-invalid" });
    await tx.update(users).set({ passwordHash: await hashPassword(input.password) }).where(eq(users.id, user.id));
    const sessionsEnded = await revokeUserSessions(tx, user.id);
    await tx
      .update(oneTimeTokens)
      .set({ usedAt: sql`now()` })
      .where(and(eq(oneTimeTokens.userId, user.id), eq(oneTimeTokens.purpose, "password_reset"), isNull(oneTimeTokens.usedAt), ne(oneTimeTokens.id, used.id)));
    await clearFailures(tx, [accountKey(user.email)]);
    return {
      result: { userId: user.id, email: user.email },
      actor: { type: "user", userId: user.id, label: user.email },
      target: { type: "user", id: user.id },
      metadata: { sessionsEnded },
    };
  },
});
