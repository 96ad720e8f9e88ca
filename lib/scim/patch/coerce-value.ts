import { textProblem } from "@/lib/core/input-rules";
import { ScimError } from "../scim-error";
import { echo, isPlainObject, type JsonObject } from "./read-body";
import type { ScimAttributeDef } from "./resource-schema";

/*
 * A client's value made into the attribute's type, the quirks real IdPs send included: Entra's
 * "True"/"False" strings for booleans, a lone object where a list is due, `null` meaning
 * "unassigned" (RFC 7643 §2.5), and a bare id where a reference such as `manager` is due.
 * `strict` (PATCH) refuses a sub-attribute the schema does not have; POST and PUT bodies drop it,
 * as they drop read-only sub-attributes.
 */

export type CoerceOptions = { strict: boolean };

/** The attribute's value in its stored form; undefined when the client sent "unassigned". */
export function coerceAttributeValue(def: ScimAttributeDef, raw: unknown, where: string, options: CoerceOptions): unknown {
  if (raw === null || raw === undefined) return undefined;
  if (!def.multiValued) return coerceSingleValue(def, raw, where, options);
  const items = Array.isArray(raw) ? raw : [raw];
  const max = def.maxItems ?? 100;
  if (items.length > max) throw new ScimError(400, "invalidValue", `${where} holds at most ${max} values; ${items.length} were sent.`);
  const values = items.map((item, i) => coerceSingleValue(def, item, `${where}[${i}]`, options)).filter((v) => v !== undefined);
  return values.length > 0 ? values : undefined;
}

/** One value of the attribute (an element, for a multi-valued one). */
export function coerceSingleValue(def: ScimAttributeDef, raw: unknown, where: string, options: CoerceOptions): unknown {
  if (raw === null || raw === undefined) return undefined;
  switch (def.type) {
    case "boolean":
      return readBoolean(raw, where);
    case "complex":
      return readComplex(def, raw, where, options);
    default:
      return readString(def, raw, where);
  }
}

function readBoolean(raw: unknown, where: string): boolean {
  if (typeof raw === "boolean") return raw;
  // Entra sends "True" / "False" without aadOptscim062020 (and some attributes with it).
  if (typeof raw === "string" && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === "true";
  throw new ScimError(400, "invalidValue", `${where} must be true or false.`);
}

function readString(def: ScimAttributeDef, raw: unknown, where: string): string {
  let text: string;
  if (typeof raw === "string") text = raw;
  else if (typeof raw === "number" && Number.isFinite(raw)) text = String(raw);
  else throw new ScimError(400, "invalidValue", `${where} must be text.`);
  const problem = textProblem(text);
  if (problem) throw new ScimError(400, "invalidValue", `${where} ${problem}.`);
  const max = def.maxLength ?? 2048;
  if (text.length > max) throw new ScimError(400, "invalidValue", `${where} must be at most ${max} characters.`);
  return text;
}

function readComplex(def: ScimAttributeDef, raw: unknown, where: string, options: CoerceOptions): JsonObject | undefined {
  // A bare id for a reference-like complex attribute: `"manager": "26118915-6090-…"`.
  if ((typeof raw === "string" || typeof raw === "number") && def.subByName?.has("value")) raw = { value: raw };
  if (!isPlainObject(raw)) throw new ScimError(400, "invalidValue", `${where} must be an object of sub-attributes.`);
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    const sub = def.subByName?.get(key.toLowerCase());
    if (!sub) {
      if (options.strict) throw new ScimError(400, "invalidPath", `${where}.${echo(key)} is not a sub-attribute of ${def.name}.`);
      continue;
    }
    if (sub.mutability === "readOnly") continue;
    if (sub.name in out) throw new ScimError(400, "invalidSyntax", `${where} names ${sub.name} twice (in different letter cases).`);
    const coerced = coerceSingleValue(sub, value, `${where}.${sub.name}`, options);
    if (coerced !== undefined) out[sub.name] = coerced;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
