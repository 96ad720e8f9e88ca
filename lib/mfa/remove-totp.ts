import { eq } from "drizzle-orm";
import { z } from "zod";
import { totpFactors } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { dropOrphanedRecoveryCodes } from "./checks/drop-orphaned-recovery-codes";
import { assertFactorRemovable, beginFactorChange } from "./factor-changes";

export const removeTotpCommand = defineCommand({
  name: "mfa.totp.removed",
  description: "A person removed their authenticator app (and their recovery codes, when no other factor is left). Refused while it is their last second factor and their role requires MFA.",
  access: "authenticated",
  input: z.object({}),
  async run(ctx) {
    const { tx } = ctx;
    const { userId, factors } = await beginFactorChange(ctx);
    const [factor] = await tx.select({ userId: totpFactors.userId }).from(totpFactors).where(eq(totpFactors.userId, userId));
    if (!factor) notFound("Authenticator app");
    await assertFactorRemovable(tx, userId, factors, "totp");
    await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
    const recoveryCodesRemoved = await dropOrphanedRecoveryCodes(tx, userId);
    return { result: null, target: { type: "user", id: userId }, metadata: { recoveryCodesRemoved } };
  },
});
