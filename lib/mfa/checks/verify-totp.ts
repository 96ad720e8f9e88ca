import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import { totpFactors } from "@/db/schema";
import { UnauthorizedError } from "@/lib/core/errors";
import { openSecret } from "../secret-box";
import { matchTotpStep } from "../totp";

const WRONG_CODE = "That code is not right. Check your authenticator app and try again.";

/**
 * Checks a TOTP code for the user's confirmed authenticator (or, while enrolling, the unconfirmed
 * one) and spends it: the step is recorded with one conditional UPDATE that only moves forward,
 * so a code works once, even when two requests race (the second finds the step already taken).
 */
export async function verifyTotp(tx: CommandTx, userId: string, code: string, { enrolling = false, now = new Date() } = {}): Promise<number> {
  const [factor] = await tx
    .select()
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), enrolling ? isNull(totpFactors.confirmedAt) : isNotNull(totpFactors.confirmedAt)));
  if (!factor) throw new UnauthorizedError(WRONG_CODE, { reason: enrolling ? "totp-not-enrolling" : "totp-not-set-up" });
  const step = matchTotpStep(openSecret(factor.secret, userId), code, now);
  if (step === null) throw new UnauthorizedError(WRONG_CODE, { reason: "totp-wrong-code" });
  const spent = await tx
    .update(totpFactors)
    .set({ lastUsedStep: step })
    .where(and(eq(totpFactors.userId, userId), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step))))
    .returning({ userId: totpFactors.userId });
  if (!spent.length) throw new UnauthorizedError("That code was already used. Wait for the next one.", { reason: "totp-replayed" });
  return step;
}
