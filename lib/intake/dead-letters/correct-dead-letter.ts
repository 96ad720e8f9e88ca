import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { intakeDeadLetters } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { enterIntakeScope } from "../channels/enter-intake-scope";
import { lockOpenDeadLetter } from "./lock-dead-letter";
import { correctDeadLetterSchema } from "./schemas";

/**
 * Stores a person's corrected payload on an open dead letter; the next replay parses it instead of the
 * raw bytes (which never change). The audit event keeps its size and SHA-256, not the payload itself.
 */
export const correctDeadLetterCommand = defineCommand({
  name: "intake.dead_letter.corrected",
  description: "A person stored a corrected payload on an intake dead letter (its size and SHA-256 in the metadata, never the content).",
  access: { permission: "intake:manage" },
  input: correctDeadLetterSchema,
  async run(ctx, input) {
    const supplier = await enterIntakeScope(ctx);
    const letter = await lockOpenDeadLetter(ctx.tx, supplier.id, input.deadLetterId);
    const bytes = Buffer.from(input.payload, "utf8");
    await ctx.tx.update(intakeDeadLetters).set({ correctedPayload: bytes }).where(and(eq(intakeDeadLetters.orgId, supplier.id), eq(intakeDeadLetters.id, letter.id)));
    return {
      result: { id: letter.id },
      target: { type: "intake-dead-letter", id: letter.id },
      metadata: { messageId: letter.messageId, documentIndex: letter.documentIndex, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") },
    };
  },
});
