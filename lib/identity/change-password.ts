import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { sessions, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { requireSession } from "./sessions";
import { accountKey, checkUnlessThrottled, clearFailures } from "./checks/throttle";
import { hashPassword, verifyPassword } from "./passwords";
import { checkNewPassword } from "./password-policy";

/**
 * Changing one's password needs the current one (a stolen session alone cannot). Every other
 * session of the person ends, so whoever might have known the old password is signed out.
 */
export const changePasswordCommand = defineCommand({
  name: "auth.password.changed",
  description: "A person changed their own password (the current one was checked); their other sessions were ended. A wrong current password records `auth.password.change_failed`.",
  deniedAction: "auth.password.change_failed",
  access: "authenticated",
  input: z.object({
    currentPassword: z.string().min(1, "is required").max(1024, "must be at most 1024 characters"),
    newPassword: z.string().min(1, "is required").max(1024, "must be at most 1024 characters"),
  }),
  async run({ tx, principal }, input) {
    const { userId, sessionId } = requireSession(principal);
    const [found] = await tx.select().from(users).where(eq(users.id, userId));
    const user = await checkUnlessThrottled(tx, [accountKey(found?.email ?? principal.actor.label)], async () => {
      if (!found || !(await verifyPassword(found.passwordHash, input.currentPassword))) throw new UnauthorizedError("Your current password is not right.", { reason: "bad-password" });
      return found;
    });
    // The current password was right: like a sign-in, that resets the account's count.
    await clearFailures(tx, [accountKey(user.email)]);
    const weak = checkNewPassword(input.newPassword, { email: user.email, name: user.name });
    if (weak) throw new ValidationError({ newPassword: [weak] });
    await tx.update(users).set({ passwordHash: await hashPassword(input.newPassword) }).where(eq(users.id, userId));
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, userId), ne(sessions.id, sessionId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return { result: { otherSessionsEnded: ended.length }, target: { type: "user", id: userId }, metadata: { otherSessionsEnded: ended.length } };
  },
});
