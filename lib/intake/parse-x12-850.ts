import { buildDocument, guardMessage, readText, type ParseResult } from "./parse-result";
import { map850 } from "./x12/map-850";
import { readX12Envelope } from "./x12/read-x12-envelope";
import { tokenizeX12 } from "./x12/tokenize-x12";

/** ASC X12 850: one document per ST…SE, across every GS…GE of the ISA…IEA interchange. */
export function parseX12850(bytes: Buffer | string, options: { maxBytes?: number } = {}): ParseResult {
  return guardMessage(() => {
    const text = readText(bytes, options.maxBytes, { latin1: true });
    if (typeof text !== "string") return { ok: false, error: text };
    const { segments } = tokenizeX12(text);
    const { envelope, sets } = readX12Envelope(segments);
    const documents = sets.map((set, index) => {
      if (set.error) return { index, error: set.error, flags: set.flags };
      const document = buildDocument(index, `ST[${index + 1}]`, () => map850(set.segments, [...envelope.senders, ...set.groupSenders]));
      return { ...document, flags: [...set.flags, ...document.flags] };
    });
    envelope.controlNumbers = { ...envelope.controlNumbers, ...Object.fromEntries(sets.map((s, i) => [`st02[${i + 1}]`, s.segments[0]!.elements[1] ?? ""])) };
    return { ok: true, documents, envelope };
  });
}
