import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { sessions } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { hasSecondFactor, listMfaFactors } from "./mfa-policy";
import type { PendingSignIn } from "./resolve-session";
import { pendingSignInSeconds } from "./session-policy";
import { requireSession } from "./sessions";

/**
 * MFA became due for a signed-in person in this org after their session signed in (an
 * admin-class grant, or the org now requires it) and the session never passed it. Called by the
 * page loader on their next request: the session goes back to the second-factor step, or to
 * enrollment when they have no factor, as at sign-in, and is short-lived again until that is
 * done (finishing it restores the lifetime counted from the password step).
 */
export const requireSessionMfaCommand = defineCommand({
  name: "auth.mfa.required",
  description: "A signed-in person's session was sent back to two-step verification because MFA became due for them in this organization after they signed in (an admin-class permission, or the org's policy) and the session had never passed it; `pending` says what is asked next: their second factor (`mfa`) or setting one up (`enrollment`).",
  access: "authenticated",
  input: z.object({}),
  async run({ tx, principal }) {
    const { userId, sessionId } = requireSession(principal);
    if (!principal.mfaDue) throw new ConflictError("Two-step verification is not required of you here.");
    const pending: PendingSignIn = hasSecondFactor(await listMfaFactors(tx, userId)) ? "mfa" : "enrollment";
    const [row] = await tx
      .update(sessions)
      .set({ pending, expiresAt: sql`least(${sessions.expiresAt}, now() + make_interval(secs => ${pendingSignInSeconds()}))` })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), isNull(sessions.mfaVerifiedAt)))
      .returning({ id: sessions.id });
    if (!row) throw new ConflictError("This session has already passed two-step verification, or has ended.");
    return { result: { pending }, target: { type: "session", id: sessionId }, metadata: { pending } };
  },
});
