import type { CommandTx } from "@/lib/core/command-tx";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { recoveryCodes } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { hasSecondFactor } from "@/lib/identity/mfa-policy";
import { beginFactorChange } from "./factor-changes";
import { generateRecoveryCodes, hashRecoveryCode } from "./recovery-codes";

/** Replaces the user's recovery codes with ten new ones; only hashes are stored. */
export async function issueRecoveryCodes(tx: CommandTx, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes(10);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })));
  return codes;
}

export const regenerateRecoveryCodesCommand = defineCommand({
  name: "mfa.recovery_codes.regenerated",
  description: "A person replaced their recovery codes with ten new ones; the old ones stop working (the codes are never recorded).",
  access: "authenticated",
  input: z.object({}),
  async run(ctx) {
    const { tx } = ctx;
    const { userId, factors } = await beginFactorChange(ctx);
    if (!hasSecondFactor(factors)) throw new ConflictError("Set up an authenticator app or a passkey first; recovery codes back one up.");
    const codes = await issueRecoveryCodes(tx, userId);
    return { result: { recoveryCodes: codes }, target: { type: "user", id: userId }, metadata: { count: codes.length } };
  },
});
