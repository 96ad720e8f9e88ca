import { z } from "zod";
import { defineCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { checkUnlessThrottled, clearFailures, mfaKey } from "@/lib/identity/checks/throttle";
import { rotateSession } from "@/lib/identity/checks/rotate-session";
import { requireSession } from "@/lib/identity/sessions";
import { consumeRecoveryCode } from "./checks/consume-recovery-code";
import { passkeyAssertionSchema, verifyPasskeyAssertion } from "./checks/verify-passkey-assertion";
import { verifyTotp } from "./checks/verify-totp";

export const secondFactorSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: z.string().trim().regex(/^\d{6}$/, "must be the 6-digit code from your authenticator app") }),
  z.object({ method: z.literal("recovery-code"), code: z.string().trim().min(16, "must be one of your recovery codes").max(40, "must be one of your recovery codes") }),
  z.object({ method: z.literal("passkey"), response: passkeyAssertionSchema }),
]);
export type SecondFactorInput = z.input<typeof secondFactorSchema>;

/**
 * A sign-in waiting for its second factor may not set up a new one instead: confirming a new
 * authenticator finishes a sign-in, so a password alone would get in.
 */
export function assertNotSkippingSecondFactor(principal: Principal): void {
  if (principal.pendingSignIn === "mfa") throw new ForbiddenError("Finish signing in with your second factor first.");
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
    const sessionToken = await rotateSession(tx, sessionId, "mfa");
    return {
      result: { sessionToken },
      target: { type: "session", id: sessionId },
      metadata: { method: input.method, purpose: principal.pendingSignIn ? "sign-in" : "step-up", ...detail },
    };
  },
});
