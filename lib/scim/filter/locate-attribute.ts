import type { AttrPath } from "./ast";
import type { ScimAttributeMap, ScimColumnAttribute, ScimMultiAttribute } from "./attribute-map";
import { ScimFilterError, type ScimFilterErrorType } from "./errors";

/** Where a path points: one value of the outer row, a multi-valued attribute, or one sub-attribute of its elements. */
export type Target =
  | { kind: "column"; column: ScimColumnAttribute }
  | { kind: "multi"; multi: ScimMultiAttribute; sub?: ScimColumnAttribute; subName?: string };

export function nameOf(path: AttrPath): string {
  if (path.text) return path.text;
  const name = path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

/**
 * Resolves through the caller's map. A path with a sub-attribute the map does not know is tried
 * as its parent, so a map may answer only `emails` and leave `emails.value` to `subs`.
 */
export function locateAttribute(path: AttrPath, resolve: ScimAttributeMap, scimType: ScimFilterErrorType = "invalidFilter"): Target {
  const direct = resolve(path);
  const found = direct ?? (path.sub !== undefined ? resolve(parentOf(path)) : undefined);
  if (!found || (found.kind === "column" && !direct)) {
    throw new ScimFilterError(scimType, `"${nameOf(path)}" is not an attribute that can be filtered or sorted on here.`);
  }
  if (found.kind === "column") return { kind: "column", column: found };
  if (path.sub === undefined) return { kind: "multi", multi: found };
  const sub = lookupSub(found, path.sub);
  if (!sub) throw new ScimFilterError(scimType, `"${nameOf(path)}": ${path.attr} has no sub-attribute "${path.sub}".`);
  return { kind: "multi", multi: found, sub, subName: path.sub };
}

/** Own keys only, case-insensitively: "__proto__" or "constructor" never reach Object.prototype. */
export function lookupSub(multi: ScimMultiAttribute, name: string): ScimColumnAttribute | undefined {
  const wanted = name.toLowerCase();
  for (const key of Object.keys(multi.subs)) {
    if (key.toLowerCase() === wanted && Object.hasOwn(multi.subs, key)) return multi.subs[key];
  }
  return undefined;
}

function parentOf(path: AttrPath): AttrPath {
  const parent: AttrPath = { attr: path.attr };
  if (path.schema !== undefined) parent.schema = path.schema;
  return parent;
}
