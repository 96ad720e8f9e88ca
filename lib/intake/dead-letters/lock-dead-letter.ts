import { and, eq } from "drizzle-orm";
import { intakeDeadLetters } from "@/db/schema";
import type { CommandTx } from "@/lib/core/command-tx";
import { ConflictError, NotFoundError } from "@/lib/core/errors";

export type LockedDeadLetter = typeof intakeDeadLetters.$inferSelect;

/**
 * The supplier's open dead letter, locked until the command commits, so a replay and a discard of
 * the same letter take turns and the second one is told it was already handled (409).
 */
export async function lockOpenDeadLetter(tx: CommandTx, supplierId: string, id: string): Promise<LockedDeadLetter> {
  const [row] = await tx.select().from(intakeDeadLetters).where(and(eq(intakeDeadLetters.orgId, supplierId), eq(intakeDeadLetters.id, id))).for("update");
  if (!row) throw new NotFoundError("Dead letter");
  if (row.state !== "open") throw new ConflictError(`This dead letter was already ${row.state}.`, "state");
  return row;
}
