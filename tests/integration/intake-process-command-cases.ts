import { runCommand } from "@/lib/core/command";
import { correctDeadLetterCommand } from "@/lib/intake/dead-letters/correct-dead-letter";
import { discardDeadLetterCommand } from "@/lib/intake/dead-letters/discard-dead-letter";
import { replayDeadLetterCommand } from "@/lib/intake/dead-letters/replay-dead-letter";
import { processMessage } from "@/lib/intake/process/process-message";
import { meta, unique } from "../support/factories";
import { makeProduct, makeSupplier } from "../support/supplier-factories";
import { buildAccount, makeChannel, mapSender, readMessage, storeMessage } from "./intake-world";

/** The intake pipeline's commands, for the table in commands-audit.test.ts: each appends one event. */
export function intakeProcessCommandCases(): Record<string, () => Promise<unknown>> {
  const world = async () => {
    const account = await buildAccount(unique("Intake"));
    const sku = unique("ISKU").toUpperCase();
    await makeProduct({ sku, prices: { USD: 1000 } });
    const channel = await makeChannel({ format: "json" });
    await mapSender(channel, "s", account.org.id, account.hq.id);
    const store = (number: string, part: string, quantity = "1", extra: Record<string, unknown> = {}) =>
      storeMessage(channel, JSON.stringify({ documentNumber: number, kind: "original", senders: [{ scheme: "b", value: "s" }], currency: "USD", lines: [{ lineNumber: "1", vendorPartNumber: part, quantity }], ...extra }));
    const send = async (number: string, part: string, quantity = "1", extra: Record<string, unknown> = {}) => processMessage(await store(number, part, quantity, extra));
    return { sku, send, store };
  };
  const deadLetter = async () => {
    const w = await world();
    const messageId = await w.store("DL-1", "NOPE");
    await processMessage(messageId);
    const { deadLetters } = await readMessage(messageId);
    return { id: deadLetters[0]!.id, operator: (await makeSupplier()).operator };
  };
  return {
    "order.received": async () => {
      const w = await world();
      return w.send("R-1", w.sku);
    },
    "order.revised": async () => {
      const w = await world();
      // Held as a draft (its header total disagrees), so the corrected re-send revises it.
      await w.send("V-1", w.sku, "1", { claims: { total: "1.00" }, lines: [{ lineNumber: "1", vendorPartNumber: w.sku, quantity: "1", unitPrice: "10.00" }] });
      return w.send("V-1", w.sku, "2");
    },
    "intake.dead_letter.corrected": async () => {
      const d = await deadLetter();
      return runCommand(correctDeadLetterCommand, d.operator, meta, { deadLetterId: d.id, payload: "{}" });
    },
    "intake.dead_letter.replayed": async () => {
      const d = await deadLetter();
      return runCommand(replayDeadLetterCommand, d.operator, meta, { deadLetterId: d.id });
    },
    "intake.dead_letter.discarded": async () => {
      const d = await deadLetter();
      return runCommand(discardDeadLetterCommand, d.operator, meta, { deadLetterId: d.id, reason: "a test letter" });
    },
  };
}
