import type { CommandTx } from "@/lib/core/command-tx";
import { eq } from "drizzle-orm";
import { recoveryCodes } from "@/db/schema";
import { hasSecondFactor, listMfaFactors } from "@/lib/identity/mfa-policy";

/**
 * Recovery codes back up a factor. Once the last factor is removed they go too, so they cannot
 * stand in for one later (or come back to life, long after being thrown away, when a new factor
 * is added). Returns how many were deleted, for the audit row.
 */
export async function dropOrphanedRecoveryCodes(tx: CommandTx, userId: string): Promise<number> {
  if (hasSecondFactor(await listMfaFactors(tx, userId))) return 0;
  const removed = await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).returning({ id: recoveryCodes.id });
  return removed.length;
}
