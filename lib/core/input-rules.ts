import { z } from "zod";
import { NotFoundError, ValidationError, type FieldErrors } from "./errors";
// Words every zod issue a schema left unworded (and sets that as zod's map wherever this loads).
import "./plain-messages";

/*
 * The rules every input passes at the boundary, whatever the transport (REST, server actions,
 * the CLI, later SCIM and intake): strings PostgreSQL can store, keys that cannot reach an
 * object's prototype, instants both PostgreSQL and JavaScript hold, ids that are ids, and query
 * strings read into a map with no prototype. Browser-safe (zod only): forms import the schemas
 * that use it.
 */

// JSON nests far deeper than any of our inputs; a deep scan or a zod parse of 60,000 levels
// would overflow the stack instead of answering.
export const MAX_INPUT_DEPTH = 32;
// A body full of bad strings gets a readable answer, not thousands of lines.
const MAX_REPORTED_FIELDS = 20;
const MAX_ECHOED_NAME = 64;
// Names that reach an object's prototype when used as a key (`obj[key] = …`, merges, `in`).
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A field-errors map with no prototype, so a field named "constructor" or "toString" is only a key. */
export function newFieldErrors(): FieldErrors {
  return Object.create(null) as FieldErrors;
}

/** Adds a reason for a field; the name is shortened and escaped, since it may be the attacker's text. */
export function addFieldError(errors: FieldErrors, field: string, reason: string): void {
  const name = echoName(field);
  (errors[name] ??= []).push(reason);
}

/** Why a decoded string cannot be accepted, or null: NUL (PostgreSQL refuses it) and lone surrogates (not text). */
export function textProblem(text: string): string | null {
  if (text.includes("\u0000")) return "must not contain NUL characters (\\u0000)";
  if (LONE_SURROGATE.test(text)) return "must be well-formed Unicode text (it holds a lone surrogate)";
  return null;
}

/**
 * Scans decoded input (a JSON body, a query map, path params, a command's raw input) and names
 * every field whose string, or whose key, fails `textProblem`, every reserved key, and input
 * nested deeper than MAX_INPUT_DEPTH. Only plain objects and arrays are walked: a Date or a
 * class instance is the caller's own value, not decoded text.
 */
export function findInputProblems(value: unknown, root = ""): FieldErrors {
  const errors = newFieldErrors();
  let reported = 0;
  const report = (field: string, reason: string) => {
    if (reported++ < MAX_REPORTED_FIELDS) addFieldError(errors, field || "input", reason);
  };
  const walk = (node: unknown, path: string, depth: number) => {
    if (typeof node === "string") {
      const problem = textProblem(node);
      if (problem) report(path, problem);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const isArray = Array.isArray(node);
    if (!isArray && !isPlainObject(node)) return;
    if (depth >= MAX_INPUT_DEPTH) {
      report(path, `is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`);
      return;
    }
    if (isArray) {
      node.forEach((item, i) => walk(item, join(path, String(i)), depth + 1));
      return;
    }
    for (const key of Object.keys(node)) {
      const field = join(path, key);
      const keyProblem = textProblem(key);
      if (keyProblem) report(field, `has a name that ${keyProblem}`);
      else if (RESERVED_KEYS.has(key)) report(field, "is a reserved name and cannot be used as a field");
      else walk((node as Record<string, unknown>)[key], field, depth + 1);
    }
  };
  walk(value, root, 0);
  return errors;
}

/** Throws a ValidationError naming each bad field that findInputProblems finds. */
export function assertCleanInput(value: unknown, root = ""): void {
  const errors = findInputProblems(value, root);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/**
 * Zod issues as field errors, keyed by their dotted path ("lines.0.sku"), `fallback` for the
 * root. A key a strict schema does not know is named itself, not its parent object.
 */
export function fieldErrorsFromIssues(issues: readonly z.core.$ZodIssue[], fallback = ""): FieldErrors {
  const errors = newFieldErrors();
  for (const issue of issues) {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) addFieldError(errors, path ? `${path}.${key}` : key, "is not a known field");
    else addFieldError(errors, path || fallback, issue.message);
  }
  return errors;
}

/**
 * A string that passes `textProblem`, for schemas that are also parsed away from the boundary
 * scan (the dashboard reads its query strings with them): `safeText().trim().max(40)`.
 */
export function safeText(message?: string) {
  return z.string(message ? { error: message } : undefined).superRefine((text, ctx) => {
    const problem = textProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

// ---- Instants ----------------------------------------------------------------------------

/**
 * The instants we accept anywhere: 1970 to the end of 9999, UTC. PostgreSQL has no year 0 and
 * JavaScript stops at +275760, and neither range is a date anyone means in this system; a
 * four-digit year also keeps every instant's ISO text the same shape, so cursors and filters
 * round-trip.
 */
export const MIN_INSTANT = new Date("1970-01-01T00:00:00.000Z");
export const MAX_INSTANT = new Date("9999-12-31T23:59:59.999Z");
export const INSTANT_RANGE_REASON = "must be between 1970-01-01 and 9999-12-31 (UTC)";
export const INSTANT_FORMAT_REASON = "must be an ISO 8601 date or date-time, such as 2026-05-01T09:30:00Z (UTC when no offset is given)";

// "2026-05-01", "2026-05-01T10:00" (what <input type="datetime-local"> sends), seconds and
// milliseconds optional (finer fractions would be silently cut), then "Z" or an offset; without
// one it is UTC.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/i;

export function isInstantInRange(date: Date): boolean {
  const t = date.getTime();
  return !Number.isNaN(t) && t >= MIN_INSTANT.getTime() && t <= MAX_INSTANT.getTime();
}

/** Parses ISO 8601 text as an instant (UTC unless it names an offset); null for anything else. */
export function parseIsoInstant(text: string): Date | null {
  const read = readInstant(text);
  return "date" in read ? read.date : null;
}

/** Why `text` is not an accepted instant, or null when it is one. */
export function instantProblem(text: string): string | null {
  const read = readInstant(text);
  return "problem" in read ? read.problem : null;
}

function readInstant(text: string): { date: Date } | { problem: string } {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return { problem: INSTANT_FORMAT_REASON };
  const [, y, mo, d, h = "00", mi = "00", s = "00", fraction = "0", zone] = m;
  const ms = fraction.padEnd(3, "0");
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${zone?.toUpperCase() ?? "Z"}`);
  // Date rolls 2026-02-31 over to March 3; a day or an hour out of range is a typo, not a time.
  // (setUTCFullYear, not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.)
  const wall = new Date(0);
  wall.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  wall.setUTCHours(Number(h), Number(mi), Number(s));
  const real = wall.getUTCFullYear() === Number(y) && wall.getUTCMonth() === Number(mo) - 1 && wall.getUTCDate() === Number(d) && wall.getUTCHours() === Number(h);
  if (Number.isNaN(date.getTime()) || !real) return { problem: "is not a real date or time" };
  return isInstantInRange(date) ? { date } : { problem: INSTANT_RANGE_REASON };
}

/**
 * An instant in a body or command input: ISO 8601 text (what JSON carries) or a Date (the CLI,
 * imports, the seed), within MIN_INSTANT..MAX_INSTANT. Output: a Date. Epoch numbers and
 * free-form text ("May 1") are refused rather than guessed at.
 */
export const instantSchema = z
  .union([z.date({ error: INSTANT_FORMAT_REASON }), z.string({ error: INSTANT_FORMAT_REASON }).max(40, "must be at most 40 characters")], { error: INSTANT_FORMAT_REASON })
  .transform((value, ctx) => {
    if (value instanceof Date) {
      if (isInstantInRange(value)) return value;
      ctx.addIssue({ code: "custom", message: Number.isNaN(value.getTime()) ? "is not a real date or time" : INSTANT_RANGE_REASON });
      return z.NEVER;
    }
    const read = readInstant(value);
    if ("date" in read) return read.date;
    ctx.addIssue({ code: "custom", message: read.problem });
    return z.NEVER;
  });

/** An instant kept as the text the client sent (filters echoed into URLs and audit metadata). */
export const instantTextSchema = z
  .string()
  .trim()
  .max(40, "must be at most 40 characters")
  .superRefine((text, ctx) => {
    const problem = instantProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("ISO 8601 date or date-time between 1970 and 9999; UTC when no offset is given.");

// ---- Ids ---------------------------------------------------------------------------------

// Strict 8-4-4-4-12 hex: anything else cannot name a row, so it is answered as not found
// without reaching PostgreSQL, which would otherwise reject it with an error.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuidText(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** A path id: the id itself, or "not found" (404) for anything that cannot be one. */
export function parseIdParam(value: unknown, what: string): string {
  if (!isUuidText(value)) throw new NotFoundError(what);
  return value.toLowerCase();
}

// ---- Query strings -----------------------------------------------------------------------

export interface QueryMap {
  /** Parameter to value, in a map with no prototype; an empty value counts as absent. */
  values: Record<string, string>;
  /** Parameters given more than once. */
  repeated: string[];
}

/**
 * Reads a query string into a map with no prototype (`?constructor=x` is a key like any
 * other), noting repeated parameters, after the scan above: NUL, lone surrogates and reserved
 * names in a key or value are named as bad fields.
 */
export function readQueryMap(params: URLSearchParams): QueryMap {
  const values = Object.create(null) as Record<string, string>;
  const all = Object.create(null) as Record<string, string>;
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const [name, value] of params) {
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
    all[name] = value;
    if (value !== "") values[name] = value;
  }
  assertCleanInput(all);
  return { values, repeated: [...repeated] };
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

// Field names are echoed in the answer: control characters and lone surrogates become \uXXXX,
// so the name reads the same in a log line as in JSON, and it is never longer than a line.
function echoName(field: string): string {
  const escaped = field.replace(/[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > MAX_ECHOED_NAME ? `${escaped.slice(0, MAX_ECHOED_NAME)}…` : escaped;
}
