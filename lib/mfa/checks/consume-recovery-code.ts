import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, isNull, sql } from "drizzle-orm";
import { recoveryCodes } from "@/db/schema";
import { UnauthorizedError } from "@/lib/core/errors";
import { hashRecoveryCode } from "../recovery-codes";

/** Spends one recovery code: a conditional UPDATE, so a code works once even under a race. */
export async function consumeRecoveryCode(tx: CommandTx, userId: string, code: string): Promise<void> {
  const spent = await tx
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  if (!spent.length) throw new UnauthorizedError("That recovery code is not valid or was already used.", { reason: "recovery-code-invalid" });
}
