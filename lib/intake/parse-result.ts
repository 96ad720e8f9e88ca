import type { CanonicalOrder } from "./canonical-order";
import { canonicalOrderSchema } from "./canonical-order";

// What every parser answers. A parser never throws: a broken interchange is a whole-message error, a broken
// document inside a good envelope is that document's error, and the other documents still stand.

export type IssueCode =
  | "too-large" | "empty" | "encoding" | "envelope" | "syntax" | "unsupported"
  | "missing" | "invalid-number" | "invalid-date" | "invalid-value" | "count-mismatch"
  | "control-mismatch" | "unterminated" | "doctype" | "too-deep" | "schema"
  // A bug or an input we did not foresee, caught so nothing throws; the fuzz tests assert it never occurs.
  | "unexpected";

/** A precise reason: location is a segment and element for EDI, a JSON pointer, an XPath, or a CSV row and column. */
export type Issue = { code: IssueCode; message: string; location: string };

export type ParsedDocument = { index: number; order?: CanonicalOrder; error?: Issue; flags: Issue[] };

export type Envelope = {
  format: string;
  senders: CanonicalOrder["senders"];
  receivers: CanonicalOrder["senders"];
  controlNumbers: Record<string, string>;
  flags: Issue[];
  [extra: string]: unknown;
};

export type ParseResult =
  | { ok: true; documents: ParsedDocument[]; envelope: Envelope }
  | { ok: false; error: Issue };

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function issue(code: IssueCode, location: string, message: string): Issue {
  return { code, location, message: location ? `${location}: ${message}` : message };
}

function decode(bytes: Buffer, latin1: boolean): string | Issue {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    if (latin1) return bytes.toString("latin1");
    return issue("encoding", "", "the payload is not UTF-8 text; send it encoded as UTF-8");
  }
}

/** Thrown only inside a parser to stop at the first problem; always caught and turned into an Issue. */
export class IssueError extends Error {
  constructor(readonly issue: Issue) { super(issue.message); }
}

export function fail(code: IssueCode, location: string, message: string): never {
  throw new IssueError(issue(code, location, message));
}

/**
 * Decodes the payload as UTF-8 without a BOM, refusing what is too large before any parsing. Bytes that
 * are not UTF-8 are refused, except for EDI (`latin1`): EDIFACT UNOB/UNOC and many X12 senders write
 * ISO-8859-1, and reading each byte as its own character keeps every separator where it was.
 */
export function readText(bytes: Buffer | string, maxBytes = DEFAULT_MAX_BYTES, options: { latin1?: boolean } = {}): string | Issue {
  const size = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.length;
  if (size > maxBytes) return issue("too-large", "", `the payload is ${size} bytes; this channel accepts at most ${maxBytes}`);
  const text = typeof bytes === "string" ? bytes : decode(bytes, options.latin1 === true);
  if (typeof text !== "string") return text;
  const stripped = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (stripped.trim() === "") return issue("empty", "", "the payload is empty");
  return stripped;
}

/**
 * Runs one document's mapping: an IssueError becomes the document's error; any other exception (a bug, or
 * input we did not foresee) becomes a generic error rather than escaping, so one bad document never throws.
 */
export function buildDocument(index: number, location: string, build: (flags: Issue[]) => CanonicalOrder): ParsedDocument {
  const flags: Issue[] = [];
  try {
    return { index, order: validateOrder(build(flags), location), flags };
  } catch (error) {
    if (error instanceof IssueError) return { index, error: error.issue, flags };
    return { index, error: issue("unexpected", location, "the document could not be read"), flags };
  }
}

/** Runs the whole-message part of a parser, turning anything thrown into a whole-message error. */
export function guardMessage(run: () => ParseResult): ParseResult {
  try {
    return run();
  } catch (error) {
    if (error instanceof IssueError) return { ok: false, error: error.issue };
    return { ok: false, error: issue("unexpected", "", "the payload could not be read") };
  }
}

/** Checks the built order against the canonical schema, naming the first wrong field in plain words. */
export function validateOrder(order: CanonicalOrder, location: string): CanonicalOrder {
  const parsed = canonicalOrderSchema.safeParse(order);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  const pointer = "/" + first.path.map(String).join("/");
  return fail("schema", location ? `${location} ${pointer}` : pointer, describeIssue(first));
}

// Our schema names its fields in its own messages; these are the cases zod words itself, said plainly.
function describeIssue(found: { code: string; message: string; path: PropertyKey[]; keys?: string[]; input?: unknown }): string {
  const field = String(found.path[found.path.length - 1] ?? "the order");
  if (found.code === "unrecognized_keys") return `${(found.keys ?? []).map((k) => JSON.stringify(k)).join(", ")} is not a field of the order; remove it`;
  if (found.code === "invalid_type" && found.input === undefined) return `${field} is required`;
  if (found.code === "invalid_type") return `${field} has the wrong type: see the canonical order's format`;
  return found.message;
}
