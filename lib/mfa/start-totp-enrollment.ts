import { and, eq, isNotNull } from "drizzle-orm";
import { z } from "zod";
import { totpFactors } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { renderQrDataUrl } from "./qr-code";
import { sealSecret } from "./secret-box";
import { generateTotpSecret, totpUri } from "./totp";
import { beginFactorChange } from "./factor-changes";
import { assertNotSkippingSecondFactor } from "./verify-second-factor";

/**
 * Starts setting up an authenticator app: a new secret, shown once as a QR code and as text, kept
 * unconfirmed until the person proves they can read codes from it. Changing factors needs an MFA
 * check when the person has a factor, else a fresh sign-in (the forced enrollment follows one).
 */
export const startTotpEnrollmentCommand = defineCommand({
  name: "mfa.totp.enrollment_started",
  description: "A person started setting up an authenticator app (a new, unconfirmed secret was generated; the secret itself is never recorded).",
  access: "authenticated",
  duringSignIn: true,
  input: z.object({}),
  async run(ctx) {
    const { tx, principal } = ctx;
    assertNotSkippingSecondFactor(principal);
    const { userId } = await beginFactorChange(ctx);
    const [confirmed] = await tx.select({ userId: totpFactors.userId }).from(totpFactors).where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)));
    if (confirmed) throw new ConflictError("An authenticator app is already set up. Remove it first to set up another.");
    const secret = generateTotpSecret();
    const sealed = sealSecret(secret, userId);
    await tx
      .insert(totpFactors)
      .values({ userId, secret: sealed })
      .onConflictDoUpdate({ target: totpFactors.userId, set: { secret: sealed, lastUsedStep: null, createdAt: new Date() } });
    const uri = totpUri({ secret, accountName: principal.actor.label, issuer: "Countersign" });
    return { result: { secret, uri, qrCode: await renderQrDataUrl(uri) }, target: { type: "user", id: userId } };
  },
});
