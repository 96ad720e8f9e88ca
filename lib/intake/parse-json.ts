import type { CanonicalOrder } from "./canonical-order";
import { buildDocument, fail, guardMessage, readText, validateOrder, type Envelope, type ParseResult } from "./parse-result";
import { isObject, numbersToText, readJson } from "./read-json";

// The `json` channel: the canonical order itself, one object or an array of them (one document each).
// Numbers are read losslessly and handed to the schema as their digits, so 12.50 sent as a JSON number
// is the decimal "12.50", never a float.

export function parseJson(bytes: Buffer | string, options: { maxBytes?: number } = {}): ParseResult {
  return guardMessage(() => {
    const text = readText(bytes, options.maxBytes);
    if (typeof text !== "string") return { ok: false, error: text };
    const json = numbersToText(readJson(text));
    const items = Array.isArray(json) ? json : [json];
    if (items.length === 0) fail("empty", "/", "the array holds no order");
    if (items.length > 1000) fail("too-large", "/", "at most 1,000 orders per message");
    const envelope: Envelope = { format: "json", senders: [], receivers: [], controlNumbers: {}, flags: [] };
    const documents = items.map((item, index) => buildDocument(index, Array.isArray(json) ? `/${index}` : "", () => {
      if (!isObject(item)) fail("invalid-value", Array.isArray(json) ? `/${index}` : "/", "an order must be a JSON object");
      return validateOrder(item as CanonicalOrder, Array.isArray(json) ? `/${index}` : "");
    }));
    return { ok: true, documents, envelope };
  });
}
