import { findInputProblems } from "@/lib/core/input-rules";
import { ScimError } from "../scim-error";

/*
 * Reading decoded JSON the way SCIM clients write it: attribute and member names match
 * case-insensitively ("Operations", "operations"), and every string and key first passes the
 * rules every boundary applies (no NUL, no lone surrogate, no `__proto__` / `constructor` /
 * `prototype` key, bounded depth), so nothing below ever assigns a key that reaches a prototype.
 */

export type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Refuses the whole body when any field breaks the boundary rules, naming the first few fields. */
export function assertCleanScimInput(body: unknown, what: string): void {
  const problems = findInputProblems(body);
  const fields = Object.entries(problems);
  if (fields.length === 0) return;
  const listed = fields.map(([field, reasons]) => `${field} ${reasons.join("; ")}`).join(". ");
  throw new ScimError(400, "invalidValue", `The ${what} cannot be accepted: ${listed}.`);
}

/**
 * The value of the member named `name` in any letter case, or undefined. Two spellings of the
 * same name ("op" and "Op") are refused: which one wins would be a guess.
 */
export function readMember(object: JsonObject, name: string, where: string): unknown {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() !== wanted) continue;
    if (found !== undefined) throw new ScimError(400, "invalidSyntax", `${where} has both "${found}" and "${key}"; send "${name}" once.`);
    found = key;
  }
  return found === undefined ? undefined : object[found];
}

/** Text of a client's name for messages: short and without control characters. */
export function echo(text: string): string {
  const clean = Array.from(text, (ch) => (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? "?" : ch)).join("");
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}

/** A required attribute must hold something: not unassigned, not only spaces. */
export function isBlank(value: unknown): boolean {
  return value === undefined || (typeof value === "string" && value.trim() === "");
}
