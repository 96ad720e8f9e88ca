import { and, eq, sql } from "drizzle-orm";
import { intakeDeadLetters } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { enterIntakeScope } from "../channels/enter-intake-scope";
import { lockOpenDeadLetter } from "./lock-dead-letter";
import { discardDeadLetterSchema } from "./schemas";

/** Closes a dead letter without processing it, with the person's reason (kept on the row and in the audit event). */
export const discardDeadLetterCommand = defineCommand({
  name: "intake.dead_letter.discarded",
  description: "A person discarded an intake dead letter, with their reason (message, document index, the failure's code, the reason given).",
  access: { permission: "intake:manage" },
  input: discardDeadLetterSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const letter = await lockOpenDeadLetter(ctx.tx, supplier.id, input.deadLetterId);
    await ctx.tx.update(intakeDeadLetters)
      .set({ state: "discarded", discardReason: input.reason, resolvedBy: actorUserId(ctx.principal.actor), resolvedAt: sql`now()` })
      .where(and(eq(intakeDeadLetters.orgId, supplier.id), eq(intakeDeadLetters.id, letter.id)));
    return {
      result: { id: letter.id, state: "discarded" as const },
      target: { type: "intake-dead-letter", id: letter.id },
      metadata: { messageId: letter.messageId, documentIndex: letter.documentIndex, failure: letter.reason.code, reason: input.reason },
    };
  },
});
