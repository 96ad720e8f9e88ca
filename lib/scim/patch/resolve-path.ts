import { parseScimPath, ScimFilterError, type ScimFilter, type ScimPath } from "@/lib/scim/filter";
import { ScimError } from "../scim-error";
import { echo } from "./read-body";
import type { ScimAttributeDef, ScimResourceSchema, ScimSchemaPart } from "./resource-schema";

/*
 * A PATCH path (or a path-less value's key) resolved against the resource's schema: which part
 * (core or an extension) holds the attribute, the attribute, the sub-attribute it names, and the
 * value filter on a multi-valued one. Anything the schema does not have is invalidPath here,
 * before a single change is made.
 */

export type PatchTarget = {
  part: ScimSchemaPart;
  attr: ScimAttributeDef;
  /** `name.givenName`, or `emails[type eq "work"].value`'s `value`. */
  sub?: ScimAttributeDef;
  /** `emails[type eq "work"]`: which elements of a multi-valued attribute. */
  filter?: ScimFilter;
  /** The path as the client wrote it, for messages. */
  text: string;
};

/** Parses a path with the filter module's grammar; its errors become SCIM errors of the same type. */
export function parsePatchPath(text: string): ScimPath {
  try {
    return parseScimPath(text);
  } catch (error) {
    if (error instanceof ScimFilterError) throw new ScimError(400, error.scimType, error.message);
    throw error;
  }
}

/** The extension part whose URN is exactly `text` (a path naming a whole extension), if any. */
export function findExtensionByUrn(schema: ScimResourceSchema, text: string): ScimSchemaPart | undefined {
  const part = schema.partByUrn.get(text.trim().toLowerCase());
  return part && !part.isCore ? part : undefined;
}

export function resolvePatchTarget(schema: ScimResourceSchema, path: ScimPath): PatchTarget {
  const text = echo(path.text ?? path.attr.text ?? path.attr.attr);
  const part = path.attr.schema === undefined ? schema.core : schema.partByUrn.get(path.attr.schema);
  if (!part) throw new ScimError(400, "invalidPath", `"${text}" names a schema that ${schema.resourceType} resources do not have.`);
  const attr = part.byName.get(path.attr.attr);
  if (!attr) throw new ScimError(400, "invalidPath", `"${text}" is not an attribute of ${schema.resourceType} resources.`);
  const subName = path.attr.sub ?? path.sub;
  if (path.attr.sub !== undefined && path.filter) throw new ScimError(400, "invalidPath", `"${text}" cannot name a sub-attribute before a filter.`);
  let sub: ScimAttributeDef | undefined;
  if (subName !== undefined) {
    sub = attr.subByName?.get(subName);
    if (!sub) throw new ScimError(400, "invalidPath", `"${text}": ${attr.name} has no sub-attribute "${echo(subName)}".`);
  }
  if (path.filter) {
    if (!attr.multiValued || attr.type !== "complex") throw new ScimError(400, "invalidPath", `"${text}": only multi-valued attributes take a [filter], and ${attr.name} is not one.`);
    checkValueFilter(attr, path.filter, text);
  }
  return { part, attr, sub, filter: path.filter, text };
}

/** The filter inside brackets may only compare the attribute's own sub-attributes. */
function checkValueFilter(attr: ScimAttributeDef, filter: ScimFilter, text: string): void {
  switch (filter.kind) {
    case "and":
    case "or":
      filter.filters.forEach((f) => checkValueFilter(attr, f, text));
      return;
    case "not":
      checkValueFilter(attr, filter.filter, text);
      return;
    case "valuePath":
      throw new ScimError(400, "invalidFilter", `"${text}": a filter inside brackets cannot hold another [filter].`);
    default: {
      const name = filter.attr.sub ?? filter.attr.attr;
      const prefix = filter.attr.sub !== undefined ? filter.attr.attr : undefined;
      // `emails[emails.type eq "work"]` is a long way of writing `type`; anything else is not a sub-attribute.
      if ((prefix !== undefined && prefix !== attr.name.toLowerCase()) || filter.attr.schema !== undefined || !attr.subByName?.has(name)) {
        throw new ScimError(400, "invalidFilter", `"${text}": ${attr.name} has no sub-attribute "${echo(filter.attr.text ?? name)}" to filter on.`);
      }
    }
  }
}

/** The sub-attribute a comparison inside brackets names (checked by `resolvePatchTarget`). */
export function filterSubName(attrPath: { attr: string; sub?: string }): string {
  return attrPath.sub ?? attrPath.attr;
}
