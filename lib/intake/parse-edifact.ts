import { mapOrders } from "./edifact/map-orders";
import { readEdifactEnvelope } from "./edifact/read-edifact-envelope";
import { tokenizeEdifact } from "./edifact/tokenize-edifact";
import { buildDocument, guardMessage, readText, type ParseResult } from "./parse-result";

/** EDIFACT ORDERS (EANCOM included): one document per UNH…UNT message of the interchange. */
export function parseEdifact(bytes: Buffer | string, options: { maxBytes?: number } = {}): ParseResult {
  return guardMessage(() => {
    const text = readText(bytes, options.maxBytes, { latin1: true });
    if (typeof text !== "string") return { ok: false, error: text };
    const { segments, decimalMark } = tokenizeEdifact(text);
    const { envelope, messages } = readEdifactEnvelope(segments);
    envelope.decimalMark = decimalMark;
    const documents = messages.map((message, index) => {
      if (message.error) return { index, error: message.error, flags: message.flags };
      const document = buildDocument(index, `UNH[${index + 1}]`, () => mapOrders(message.segments, envelope.senders, decimalMark === ","));
      return { ...document, flags: [...message.flags, ...document.flags] };
    });
    return { ok: true, documents, envelope };
  });
}
