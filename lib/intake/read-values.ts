import { isRealDate } from "./canonical-order";
import { fail } from "./parse-result";

// Readers shared by the parsers: each takes the raw text, answers the canonical string or stops with a
// precise reason at `location`. Decimals stay strings; no value ever passes through a float.

const PLAIN_DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** "+012.50" → "12.50", ".5" → "0.5", "7." → "7"; a comma is read as the decimal mark when allowed. */
export function readDecimal(raw: string, location: string, what: string, options: { comma?: boolean } = {}): string {
  const trimmed = raw.trim();
  const text = options.comma ? trimmed.replace(",", ".") : trimmed;
  if (!PLAIN_DECIMAL.test(text) || text.length > 36) fail("invalid-number", location, `${what} ${quote(raw)} is not a number`);
  const negative = text.startsWith("-");
  const [whole = "", fraction = ""] = text.replace(/^[+-]/, "").split(".");
  const digits = whole.replace(/^0+(?=\d)/, "") || "0";
  if (digits.length > 24 || fraction.length > 12) fail("invalid-number", location, `${what} ${quote(raw)} has too many digits`);
  const body = fraction ? `${digits}.${fraction}` : digits;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/** A quantity is a decimal above zero. */
export function readQuantity(raw: string, location: string, options: { comma?: boolean } = {}): string {
  const value = readDecimal(raw, location, "quantity", options);
  if (value.startsWith("-") || !/[1-9]/.test(value)) fail("invalid-number", location, `quantity ${quote(raw)} must be more than zero`);
  return value;
}

/** Reads CCYYMMDD, YYMMDD (EDI, windowed to 2000–2099), YYYY-MM-DD or an ISO date-time (its own calendar date). */
export function readDate(raw: string, location: string, what: string): string {
  const text = raw.trim();
  let iso: string | undefined;
  if (/^\d{8}$/.test(text)) iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  else if (/^\d{6}$/.test(text)) iso = `20${text.slice(0, 2)}-${text.slice(2, 4)}-${text.slice(4, 6)}`;
  else if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) iso = text.slice(0, 10);
  if (!iso || !isRealDate(iso)) fail("invalid-date", location, `${what} ${quote(raw)} is not a date (expected ${dateHint(text)})`);
  return iso;
}

function dateHint(text: string): string {
  return text.includes("-") ? "YYYY-MM-DD" : "CCYYMMDD";
}

/** Quotes a value for a message, cut short and with control characters shown, so a reason stays readable. */
export function quote(raw: string): string {
  const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
  return JSON.stringify(shown);
}

/** Trims, and answers undefined for what is empty, so optional fields stay absent rather than "". */
export function optionalText(raw: string | undefined | null): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).trim();
  return text === "" ? undefined : text;
}

/** Drops the keys whose value is undefined, so built objects match the canonical schema's optional fields. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
