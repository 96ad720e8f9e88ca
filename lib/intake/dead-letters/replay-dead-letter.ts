import { and, eq, sql } from "drizzle-orm";
import { intakeDeadLetters, intakeMessages } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { enterIntakeScope } from "../channels/enter-intake-scope";
import { lockOpenDeadLetter } from "./lock-dead-letter";
import { replayDeadLetterSchema } from "./schemas";

/**
 * Marks a dead letter replayed and puts its message back in the inbox (`received`, attempts reset),
 * so the worker takes it again: the route processes it at once, and the stalled-message sweep would
 * otherwise. Its corrected payload, if a person stored one, is what gets parsed; the raw bytes stay as
 * they arrived. A replay that fails again leaves a new dead letter, so the history stays readable.
 */
export const replayDeadLetterCommand = defineCommand({
  name: "intake.dead_letter.replayed",
  description: "A person replayed an intake dead letter (message, document index, whether a corrected payload was used).",
  access: { permission: "intake:manage" },
  input: replayDeadLetterSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const letter = await lockOpenDeadLetter(ctx.tx, supplier.id, input.deadLetterId);
    await ctx.tx.update(intakeDeadLetters)
      .set({ state: "replayed", resolvedBy: actorUserId(ctx.principal.actor), resolvedAt: sql`now()` })
      .where(and(eq(intakeDeadLetters.orgId, supplier.id), eq(intakeDeadLetters.id, letter.id)));
    await ctx.tx.update(intakeMessages)
      .set({ status: "received", attempts: 0, nextAttemptAt: null, updatedAt: sql`now()` })
      .where(and(eq(intakeMessages.orgId, supplier.id), eq(intakeMessages.id, letter.messageId)));
    const corrected = letter.correctedPayload !== null;
    return {
      result: { id: letter.id, messageId: letter.messageId, documentIndex: letter.documentIndex, payload: letter.correctedPayload ? Buffer.from(letter.correctedPayload) : null },
      target: { type: "intake-dead-letter", id: letter.id },
      metadata: { messageId: letter.messageId, documentIndex: letter.documentIndex, corrected, reason: letter.reason.code },
    };
  },
});
