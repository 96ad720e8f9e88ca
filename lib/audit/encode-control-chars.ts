// C0 and C1 controls and DEL, the Unicode line and paragraph separators, and the bidirectional
// overrides and isolates ("Trojan Source"): each can make one logged value look like several
// lines or reorder what a reader sees, so none is ever shown or exported raw.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { "\r": "\\r", "\n": "\\n", "\t": "\\t" };

/**
 * Renders unsafe characters as visible escapes: CR as `\r`, LF as `\n`, TAB as `\t`, the rest as
 * `\uXXXX`. Every escape is also a valid JSON string escape for the same character, so applied
 * to serialized JSON the result still parses to the exact original value.
 */
export function encodeControlChars(text: string): string {
  return text.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// The same set but LF: for text that is lines of serialized JSON, whose own line breaks stay.
const UNSAFE_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * encodeControlChars over many lines of serialized JSON at once, keeping the LFs between them
 * (serialized JSON holds no raw LF of its own): the same result as encoding line by line.
 */
export function encodeControlCharsInLines(text: string): string {
  return text.replace(UNSAFE_BUT_LF, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** encodeControlChars over every string in a JSON value, object keys included. */
export function encodeControlCharsDeep(value: unknown): unknown {
  if (typeof value === "string") return encodeControlChars(value);
  if (Array.isArray(value)) return value.map(encodeControlCharsDeep);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [encodeControlChars(k), encodeControlCharsDeep(v)]));
  }
  return value;
}

/** One line of JSON Lines: exact values, with no raw control character anywhere in the line. */
export function toJsonLine(value: unknown): string {
  return `${encodeControlChars(JSON.stringify(value))}\n`;
}

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@]/;

/**
 * One RFC 4180 field: control characters encoded, a would-be formula prefixed with an apostrophe
 * so spreadsheets show it as text, and text always quoted with inner quotes doubled.
 */
export function toCsvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const encoded = encodeControlChars(value);
  const safe = FORMULA_START.test(encoded) ? `'${encoded}` : encoded;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** One CSV record with the CRLF line ending RFC 4180 specifies. */
export function toCsvRecord(values: Array<string | number | null>): string {
  return `${values.map(toCsvField).join(",")}\r\n`;
}
