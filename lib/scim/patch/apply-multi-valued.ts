import type { ScimFilter } from "@/lib/scim/filter";
import { ScimError } from "../scim-error";
import { filterValueFor, matchesValueFilter } from "./match-value-filter";
import type { ScimPatchOpName } from "./normalize-patch";
import { isPlainObject, type JsonObject } from "./read-body";
import { filterSubName, type PatchTarget } from "./resolve-path";
import type { ScimAttributeDef } from "./resource-schema";
import { sameJson } from "./same-json";

/*
 * add / replace / remove on a multi-valued attribute (emails, members, …), with or without a
 * value filter and a sub-attribute (RFC 7644 §3.5.2):
 * - add appends, merging into an element with the same value (and type) instead of repeating it;
 * - replace without a filter replaces the list; with one, the matching elements, and a filter
 *   that matches none is noTarget;
 * - remove drops the matching elements (none matching is not an error: the member is already
 *   gone), or the sub-attribute from each.
 * An add whose filter matches nothing creates the element when the filter is plain equalities
 * (`addresses[type eq "work"].locality`), which is how Entra first sets such values.
 * At most one element stays `primary: true`: a newly primary one demotes the others
 * (RFC 7643 §2.4); two new ones in the same op are refused.
 */

export function applyToMultiValued(current: unknown, op: ScimPatchOpName, value: unknown, target: PatchTarget): JsonObject[] | undefined {
  const { attr, sub, filter } = target;
  // The caller's document is already a private copy, so elements change in place.
  const elements: JsonObject[] = Array.isArray(current) ? current.filter(isPlainObject) : [];
  const wasPrimary = new Set(elements.filter((e) => e.primary === true));
  let next: JsonObject[];

  if (!filter && !sub) {
    if (op === "remove") return undefined;
    const items = (value as JsonObject[] | undefined) ?? [];
    next = op === "replace" ? items : mergeInto(elements, items, attr);
  } else {
    const selected = filter ? elements.filter((e) => matchesValueFilter(e, filter, attr)) : elements;
    next = applyToSelected(elements, selected, op, value, target);
  }
  settlePrimary(next, op === "replace" && !filter && !sub ? new Set() : wasPrimary, attr);
  const max = attr.maxItems ?? 100;
  if (next.length > max) throw new ScimError(400, "invalidValue", `${attr.name} holds at most ${max} values.`);
  return next.length > 0 ? next : undefined;
}

function applyToSelected(elements: JsonObject[], selected: JsonObject[], op: ScimPatchOpName, value: unknown, target: PatchTarget): JsonObject[] {
  const { attr, sub, filter } = target;
  const chosen = new Set(selected);
  if (op === "remove") {
    if (!sub) return elements.filter((e) => !chosen.has(e));
    for (const e of selected) delete e[sub.name];
    return elements.filter((e) => Object.keys(e).length > 0);
  }
  if (selected.length === 0) {
    const seed = op === "add" && filter ? equalitiesOf(filter, attr) : undefined;
    if (!seed) throw new ScimError(400, "noTarget", `"${target.text}" matches no value of ${attr.name}.`);
    const created = sub ? { ...seed, ...(value === undefined ? {} : { [sub.name]: value }) } : { ...seed, ...(value as JsonObject | undefined) };
    return [...elements, created];
  }
  return elements.flatMap((e) => {
    if (!chosen.has(e)) return [e];
    if (sub) {
      if (value === undefined) delete e[sub.name];
      else e[sub.name] = value;
      return Object.keys(e).length > 0 ? [e] : [];
    }
    if (value === undefined) return [];
    // add merges into the matching element; replace puts the value in its place.
    return [op === "add" ? Object.assign(e, value as JsonObject) : { ...(value as JsonObject) }];
  });
}

/** Appends items, merging an item into an element that has the same value and type. */
function mergeInto(elements: JsonObject[], items: JsonObject[], attr: ScimAttributeDef): JsonObject[] {
  const caseExact = attr.subByName?.get("value")?.caseExact === true;
  const key = (e: JsonObject) => {
    if (typeof e.value !== "string") return undefined;
    const v = caseExact ? e.value : e.value.toLowerCase();
    return `${v}\u0000${typeof e.type === "string" ? e.type.toLowerCase() : ""}`;
  };
  const out = [...elements];
  const byKey = new Map<string, JsonObject>();
  for (const e of out) {
    const k = key(e);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, e);
  }
  for (const item of items) {
    const k = key(item);
    const same = k !== undefined ? byKey.get(k) : out.find((e) => sameJson(e, item));
    if (same) {
      Object.assign(same, item);
      continue;
    }
    out.push(item);
    if (k !== undefined) byKey.set(k, item);
  }
  return out;
}

/** `type eq "work" and primary eq true` → `{ type: "work", primary: true }`; anything else → undefined. */
function equalitiesOf(filter: ScimFilter, attr: ScimAttributeDef): JsonObject | undefined {
  if (filter.kind === "and") {
    const parts = filter.filters.map((f) => equalitiesOf(f, attr));
    return parts.every((p) => p !== undefined) ? Object.assign({}, ...parts) : undefined;
  }
  if (filter.kind !== "compare" || filter.op !== "eq" || filter.value === null) return undefined;
  const def = attr.subByName?.get(filterSubName(filter.attr));
  if (!def) return undefined;
  const value = filterValueFor(def, filter.value);
  if (def.type === "boolean" ? typeof value !== "boolean" : typeof value !== "string") return undefined;
  return { [def.name]: value };
}

function settlePrimary(elements: JsonObject[], wasPrimary: Set<JsonObject>, attr: ScimAttributeDef): void {
  if (!attr.subByName?.has("primary")) return;
  const primaries = elements.filter((e) => e.primary === true);
  if (primaries.length <= 1) return;
  const fresh = primaries.filter((e) => !wasPrimary.has(e));
  if (fresh.length > 1) throw new ScimError(400, "invalidValue", `Only one of ${attr.name} can be primary.`);
  const keep = fresh[0] ?? primaries[primaries.length - 1]!;
  for (const e of primaries) if (e !== keep) e.primary = false;
}
