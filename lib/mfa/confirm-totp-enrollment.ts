import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { totpFactors } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { rotateSession } from "@/lib/identity/checks/rotate-session";
import { verifyTotp } from "./checks/verify-totp";
import { beginFactorChange } from "./factor-changes";
import { issueRecoveryCodes } from "./regenerate-recovery-codes";
import { assertNotSkippingSecondFactor } from "./verify-second-factor";

/**
 * Confirms the authenticator with a code read from it. A first factor also gets ten recovery
 * codes (shown once). When this enrollment was forced at sign-in, the sign-in is now finished and
 * the session gets a new id; sessionToken is null otherwise.
 */
export const confirmTotpEnrollmentCommand = defineCommand({
  name: "mfa.totp.enrolled",
  description: "A person confirmed their authenticator app with a code from it; a first second factor also gets ten recovery codes (their hashes only are stored). An enrollment forced at sign-in finishes the sign-in.",
  deniedAction: "auth.mfa.failed",
  access: "authenticated",
  duringSignIn: true,
  input: z.object({ code: z.string().trim().regex(/^\d{6}$/, "must be the 6-digit code from your authenticator app") }),
  async run(ctx, input) {
    const { tx, principal } = ctx;
    assertNotSkippingSecondFactor(principal);
    const { userId, sessionId, factors } = await beginFactorChange(ctx);
    await verifyTotp(tx, userId, input.code, { enrolling: true });
    await tx.update(totpFactors).set({ confirmedAt: sql`now()` }).where(eq(totpFactors.userId, userId));
    const codes = factors.recoveryCodesLeft > 0 ? null : await issueRecoveryCodes(tx, userId);
    // Only the enrollment that policy forced at sign-in counts as an MFA check: it finishes that
    // sign-in. A code from an app the person set up themselves proves the app works, not who is
    // there (whoever holds a stolen cookie and the password could set one up).
    const forced = principal.pendingSignIn === "enrollment";
    const sessionToken = forced ? await rotateSession(tx, sessionId, "mfa") : null;
    return {
      result: { recoveryCodes: codes, sessionToken },
      target: { type: "user", id: userId },
      metadata: { factor: "totp", recoveryCodesIssued: codes?.length ?? 0, finishedSignIn: forced },
    };
  },
});

