import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ForbiddenError, UnauthorizedError } from "@/lib/core/errors";
import { rotateSession } from "./checks/rotate-session";
import { requireSession } from "./sessions";
import { accountKey, checkUnlessThrottled, clearFailures } from "./checks/throttle";
import { verifyPassword } from "./passwords";

/**
 * A step-up with the password, for people without a second factor (changing account settings
 * needs a fresh sign-in). It never satisfies an MFA step-up, and never finishes a pending
 * sign-in. A session sent back to enrollment long after its sign-in may use it, since setting up
 * a factor needs a recent sign-in; one waiting for its second factor may not. Throttled like sign-in.
 */
export const reauthenticateCommand = defineCommand({
  name: "auth.reauthenticated",
  description: "A signed-in person confirmed their password again before changing account settings; the session got a new id. A wrong password records `auth.reauthentication.failed`.",
  deniedAction: "auth.reauthentication.failed",
  access: "authenticated",
  duringSignIn: true,
  input: z.object({ password: z.string().min(1, "is required").max(1024, "must be at most 1024 characters") }),
  async run({ tx, principal }, input) {
    const { userId, sessionId } = requireSession(principal);
    if (principal.pendingSignIn === "mfa") throw new ForbiddenError("Finish signing in first.");
    const [found] = await tx.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
    const user = await checkUnlessThrottled(tx, [accountKey(found?.email ?? principal.actor.label)], async () => {
      if (!found || !(await verifyPassword(found.passwordHash, input.password))) throw new UnauthorizedError("That password is not right.", { reason: "bad-password" });
      return found;
    });
    await clearFailures(tx, [accountKey(user.email)]);
    const sessionToken = await rotateSession(tx, sessionId, "password");
    return { result: { sessionToken }, target: { type: "session", id: sessionId }, metadata: { method: "password" } };
  },
});
