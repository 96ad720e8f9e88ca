import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "@/db/client";
import { sessions } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { actorUserId, type Principal } from "@/lib/core/context";
import { ForbiddenError, UnauthorizedError } from "@/lib/core/errors";
import { checkUnlessThrottled, clearFailures, mfaKey } from "@/lib/identity/checks/throttle";
import { generateSecret, hashSecret } from "@/lib/identity/secrets";
import { sessionMaxAgeSeconds } from "@/lib/identity/session-policy";
import { consumeRecoveryCode } from "./checks/consume-recovery-code";
import { passkeyAssertionSchema, verifyPasskeyAssertion } from "./checks/verify-passkey-assertion";
import { verifyTotp } from "./checks/verify-totp";

export const secondFactorSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: z.string().trim().regex(/^\d{6}$/, "must be the 6-digit code from your authenticator app") }),
  z.object({ method: z.literal("recovery-code"), code: z.string().trim().min(16, "must be one of your recovery codes").max(40, "must be one of your recovery codes") }),
  z.object({ method: z.literal("passkey"), response: passkeyAssertionSchema }),
]);
export type SecondFactorInput = z.input<typeof secondFactorSchema>;

/** The session the request came with, required by every command that proves or changes factors. */
export function requireSession(principal: Principal): { userId: string; sessionId: string } {
  const userId = actorUserId(principal.actor);
  if (principal.actor.type !== "user" || !userId || !principal.sessionId) throw new ForbiddenError("Sign in first.");
  return { userId, sessionId: principal.sessionId };
}

/**
 * A sign-in waiting for its second factor may not set up a new one instead: confirming a new
 * authenticator finishes a sign-in, so a password alone would get in.
 */
export function assertNotSkippingSecondFactor(principal: Principal): void {
  if (principal.pendingSignIn === "mfa") throw new ForbiddenError("Finish signing in with your second factor first.");
}

/**
 * Issues a new session id for the same session (session fixation: a new id at sign-in and at
 * step-up) and records the MFA check. Finishing a pending sign-in also starts the session's
 * absolute lifetime. Returns the new cookie value; the old one stops working at once.
 */
export async function rotateSession(tx: Tx, sessionId: string, { mfaVerified }: { mfaVerified: boolean }): Promise<string> {
  const token = generateSecret();
  const [row] = await tx
    .update(sessions)
    .set({
      tokenHash: hashSecret(token),
      pending: null,
      reauthenticatedAt: sql`now()`,
      ...(mfaVerified ? { mfaVerifiedAt: sql`now()` } : {}),
      expiresAt: sql`case when ${sessions.pending} is null then ${sessions.expiresAt} else now() + make_interval(secs => ${sessionMaxAgeSeconds()}) end`,
    })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  if (!row) throw new UnauthorizedError("Your session has ended. Sign in again.", { reason: "session-ended" });
  return token;
}

/**
 * A second-factor check: finishing a sign-in, or a step-up before a sensitive action. Failures
 * are throttled per user like passwords; every attempt is on the record.
 */
export const verifySecondFactorCommand = defineCommand({
  name: "auth.mfa.verified",
  description: "A person passed a second-factor check (TOTP, a recovery code or a passkey), either to finish signing in or to step up before a sensitive action; the session got a new id. A wrong, replayed or throttled code records `auth.mfa.failed` with the reason.",
  deniedAction: "auth.mfa.failed",
  access: "authenticated",
  duringSignIn: true,
  input: secondFactorSchema,
  async run({ tx, principal }, input) {
    const { userId, sessionId } = requireSession(principal);
    // Enrollment is due because there is no factor: a leftover recovery code must not finish it.
    if (principal.pendingSignIn === "enrollment") throw new ForbiddenError("Set up an authenticator app to finish signing in.");
    let detail: Record<string, unknown> = {};
    await checkUnlessThrottled(tx, [mfaKey(userId)], async () => {
      if (input.method === "totp") await verifyTotp(tx, userId, input.code);
      else if (input.method === "recovery-code") await consumeRecoveryCode(tx, userId, input.code);
      else {
        const passkey = await verifyPasskeyAssertion(tx, userId, input.response as Parameters<typeof verifyPasskeyAssertion>[2]);
        detail = { passkeyId: passkey.passkeyId, passkeyName: passkey.name };
      }
    });
    await clearFailures(tx, [mfaKey(userId)]);
    const sessionToken = await rotateSession(tx, sessionId, { mfaVerified: true });
    return {
      result: { sessionToken },
      target: { type: "session", id: sessionId },
      metadata: { method: input.method, purpose: principal.pendingSignIn ? "sign-in" : "step-up", ...detail },
    };
  },
});
