import type { ScimFilter, ScimValue } from "@/lib/scim/filter";
import { ScimError } from "../scim-error";
import { filterSubName } from "./resolve-path";
import type { ScimAttributeDef } from "./resource-schema";

/*
 * Which elements of one resource's multi-valued attribute a PATCH path's [filter] selects. This
 * runs over a single document already loaded for update, never over a list of resources (those
 * filters compile to SQL in lib/scim/filter). String comparisons follow the sub-attribute's
 * caseExact, as in the SQL compiler.
 */

export function matchesValueFilter(element: Record<string, unknown>, filter: ScimFilter, attr: ScimAttributeDef): boolean {
  switch (filter.kind) {
    case "and":
      return filter.filters.every((f) => matchesValueFilter(element, f, attr));
    case "or":
      return filter.filters.some((f) => matchesValueFilter(element, f, attr));
    case "not":
      return !matchesValueFilter(element, filter.filter, attr);
    case "valuePath":
      throw new ScimError(400, "invalidFilter", "A filter inside brackets cannot hold another [filter].");
    case "present": {
      const value = readSub(element, filterSubName(filter.attr), attr).value;
      return value !== undefined && value !== "";
    }
    case "compare": {
      const { value, def } = readSub(element, filterSubName(filter.attr), attr);
      return compare(value, filter.op, filterValueFor(def, filter.value), def?.caseExact === true);
    }
  }
}

function readSub(element: Record<string, unknown>, lowerName: string, attr: ScimAttributeDef): { value: unknown; def?: ScimAttributeDef } {
  const def = attr.subByName?.get(lowerName);
  return { value: def ? element[def.name] : undefined, def };
}

/** Entra writes `roles[primary eq "True"]`: the text of a boolean, compared with a boolean sub-attribute. */
export function filterValueFor(def: ScimAttributeDef | undefined, value: ScimValue): ScimValue {
  if (def?.type === "boolean" && typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return value;
}

function compare(actual: unknown, op: string, expected: ScimValue, caseExact: boolean): boolean {
  if (op === "ne") return !compare(actual, "eq", expected, caseExact);
  if (expected === null) return op === "eq" ? actual === undefined : false;
  if (actual === undefined) return false;
  if (typeof expected === "boolean" || typeof actual === "boolean") {
    if (op !== "eq") throw new ScimError(400, "invalidFilter", `"${op}" cannot compare true or false; use eq or ne.`);
    return actual === expected;
  }
  const fold = (v: unknown) => (typeof v === "string" && !caseExact ? v.toLowerCase() : v);
  const a = fold(actual);
  const e = fold(expected);
  if (typeof a === "string" && typeof e === "string") {
    switch (op) {
      case "eq":
        return a === e;
      case "co":
        return a.includes(e);
      case "sw":
        return a.startsWith(e);
      case "ew":
        return a.endsWith(e);
      case "gt":
        return a > e;
      case "ge":
        return a >= e;
      case "lt":
        return a < e;
      case "le":
        return a <= e;
    }
  }
  // A number against text (or the other way): equal only when the text is that number.
  return op === "eq" && String(a) === String(e);
}
