import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { totpFactors } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { verifyTotp } from "./checks/verify-totp";
import { issueRecoveryCodes } from "./regenerate-recovery-codes";
import { listMfaFactors } from "./mfa-policy";
import { assertNotSkippingSecondFactor, requireSession, rotateSession } from "./verify-second-factor";

/**
 * Confirms the authenticator with a code read from it. A first factor also gets ten recovery
 * codes (shown once). When this enrollment was forced at sign-in, the sign-in is now finished and
 * the session gets a new id.
 */
export const confirmTotpEnrollmentCommand = defineCommand({
  name: "mfa.totp.enrolled",
  description: "A person confirmed their authenticator app with a code from it; a first second factor also gets ten recovery codes (their hashes only are stored). An enrollment forced at sign-in finishes the sign-in.",
  deniedAction: "auth.mfa.failed",
  access: "authenticated",
  duringSignIn: true,
  stepUp: { kind: "recent-auth" },
  input: z.object({ code: z.string().trim().regex(/^\d{6}$/, "must be the 6-digit code from your authenticator app") }),
  async run({ tx, principal }, input) {
    const { userId, sessionId } = requireSession(principal);
    assertNotSkippingSecondFactor(principal);
    await verifyTotp(tx, userId, input.code, { enrolling: true });
    await tx.update(totpFactors).set({ confirmedAt: sql`now()` }).where(eq(totpFactors.userId, userId));
    const hasCodes = (await listMfaFactors(tx, userId)).recoveryCodesLeft > 0;
    const codes = hasCodes ? null : await issueRecoveryCodes(tx, userId);
    // Proving a code from the new authenticator is an MFA check in itself.
    const sessionToken = await rotateSession(tx, sessionId, { mfaVerified: true });
    return {
      result: { recoveryCodes: codes, sessionToken },
      target: { type: "user", id: userId },
      metadata: { factor: "totp", recoveryCodesIssued: codes?.length ?? 0, finishedSignIn: principal.pendingSignIn === "enrollment" },
    };
  },
});

