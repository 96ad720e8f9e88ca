import { createHash } from "node:crypto";
import type { CanonicalOrder } from "./canonical-order";
import { normalizeDecimal } from "./decimal-math";

// The content hash for idempotency: SHA-256 over the normalised canonical order. Keys are sorted, text is
// trimmed with inner whitespace runs collapsed, decimals are in their shortest form ("85.00" = "85"), and
// empty optional values count as absent. Envelope control numbers are never part of the canonical order,
// so an interchange re-sent with new ISA13/ST02/UNB05/payloadIDs hashes alike; a changed line does not.

const DECIMAL_FIELDS = new Set(["quantity", "unitPrice", "priceBasisQuantity", "claimedLineTotal", "total", "quantityTotal"]);

export function hashCanonicalOrder(order: CanonicalOrder): string {
  return createHash("sha256").update(canonicalText(normalize(order, ""))).digest("hex");
}

function normalize(value: unknown, key: string): unknown {
  if (typeof value === "string") {
    const text = value.trim().replace(/\s+/g, " ");
    if (DECIMAL_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(text)) return normalizeDecimal(text);
    return text === "" ? undefined : text;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => normalize(item, "")).filter((item) => item !== undefined);
    return items.length ? items : undefined;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, normalize(v, k)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

function canonicalText(value: unknown): string {
  if (value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
