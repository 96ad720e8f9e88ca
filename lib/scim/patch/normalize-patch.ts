import type { ScimFilter, ScimPath } from "@/lib/scim/filter";
import { ScimError } from "../scim-error";
import { coerceAttributeValue } from "./coerce-value";
import { assertCleanScimInput, echo, isPlainObject, readMember, type JsonObject } from "./read-body";
import { scimResourceSchemaFor, type ScimResourceSchema, type ScimSchemaPart } from "./resource-schema";
import { findExtensionByUrn, parsePatchPath, resolvePatchTarget } from "./resolve-path";
import { SCIM_PATCH_OP_SCHEMA, type ScimResourceType } from "./scim-docs";

/*
 * A PatchOp message (RFC 7644 §3.5.2) checked and rewritten into one canonical form before
 * anything is applied, so Okta's and Entra's shapes (legacy and `aadOptscim062020`) reach one
 * code path:
 * - ops in any letter case ("Replace", "Add", "Remove");
 * - path-less add/replace (`{"op":"replace","value":{"active":false}}`) split into one op per
 *   key, keys being paths themselves (`"name.givenName"`, `"emails[type eq \"work\"].value"`,
 *   `"urn:…:enterprise:2.0:User:department"`) or a schema URN holding its attributes;
 * - `{"op":"remove","path":"members","value":[{"value":"id"}]}` as one
 *   `remove members[value eq "id"]` per listed value (an empty list removes nothing);
 * - values in the attribute's type ("True"/"False" → booleans, a lone object → a list).
 * Every path is resolved against the schema here, so an unknown attribute fails the whole
 * request before any change.
 */

export const MAX_PATCH_OPERATIONS = 1000;

export type ScimPatchOpName = "add" | "replace" | "remove";

export type ScimPatchOp = {
  op: ScimPatchOpName;
  path: ScimPath;
  /** Already in the attribute's stored form; undefined means "unassigned" (replace) or nothing (remove). */
  value?: unknown;
  /** 1-based position of the client's operation this came from, for messages. */
  index: number;
};

const OPS: ReadonlySet<string> = new Set(["add", "replace", "remove"]);

export function normalizeScimPatch(body: unknown, resourceType: ScimResourceType): ScimPatchOp[] {
  if (!isPlainObject(body)) throw new ScimError(400, "invalidSyntax", "The PATCH body must be a JSON object with \"schemas\" and \"Operations\".");
  assertCleanScimInput(body, "PATCH body");
  const schemas = readMember(body, "schemas", "The PATCH body");
  const patchUrn = SCIM_PATCH_OP_SCHEMA.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === "string" && s.trim().toLowerCase() === patchUrn)) {
    throw new ScimError(400, "invalidSyntax", `The PATCH body's "schemas" must list ${SCIM_PATCH_OP_SCHEMA}.`);
  }
  const operations = readMember(body, "Operations", "The PATCH body");
  if (!Array.isArray(operations) || operations.length === 0) {
    throw new ScimError(400, "invalidValue", "The PATCH body's \"Operations\" must be a list of at least one operation.");
  }
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw new ScimError(400, "tooMany", `A PATCH may hold at most ${MAX_PATCH_OPERATIONS} operations; this one has ${operations.length}.`);
  }
  const schema = scimResourceSchemaFor(resourceType);
  return operations.flatMap((raw, i) => withOperationContext(i + 1, () => normalizeOperation(schema, raw, i + 1)));
}

function withOperationContext<T>(index: number, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ScimError) throw new ScimError(error.status, error.scimType, `Operation ${index}: ${error.message}`);
    throw error;
  }
}

function normalizeOperation(schema: ScimResourceSchema, raw: unknown, index: number): ScimPatchOp[] {
  if (!isPlainObject(raw)) throw new ScimError(400, "invalidSyntax", "each operation must be an object with \"op\", \"path\" and \"value\".");
  const opText = readMember(raw, "op", "the operation");
  const op = typeof opText === "string" ? opText.trim().toLowerCase() : undefined;
  if (!op || !OPS.has(op)) throw new ScimError(400, "invalidSyntax", "\"op\" must be add, replace or remove.");
  const name = op as ScimPatchOpName;
  const pathRaw = readMember(raw, "path", "the operation");
  const value = readMember(raw, "value", "the operation");
  if (pathRaw !== undefined && pathRaw !== null && typeof pathRaw !== "string") throw new ScimError(400, "invalidPath", "\"path\" must be text.");
  const pathText = typeof pathRaw === "string" && pathRaw.trim() !== "" ? pathRaw : undefined;

  if (pathText === undefined) {
    if (name === "remove") throw new ScimError(400, "noTarget", "remove needs a \"path\" naming what to remove.");
    if (!isPlainObject(value)) throw new ScimError(400, "invalidValue", `${name} without a "path" needs a "value" object of attributes.`);
    return expandPathless(schema, name, value, index, undefined);
  }
  if (name === "add" && (value === undefined || value === null)) throw new ScimError(400, "invalidValue", `add to "${echo(pathText)}" needs a "value".`);
  if (name === "replace" && value === undefined) throw new ScimError(400, "invalidValue", `replace of "${echo(pathText)}" needs a "value".`);

  const extension = findExtensionByUrn(schema, pathText);
  if (extension) return normalizeWholeExtension(schema, extension, name, value, index);
  return normalizePathOp(schema, name, parsePatchPath(pathText), value, index);
}

/** `{"op":"replace","value":{…}}`: one op per key; a schema URN key holds that schema's attributes. */
function expandPathless(schema: ScimResourceSchema, op: ScimPatchOpName, value: JsonObject, index: number, urnPrefix: string | undefined): ScimPatchOp[] {
  const out: ScimPatchOp[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (urnPrefix === undefined && key.trim().toLowerCase() === "schemas") continue;
    const part = urnPrefix === undefined ? schema.partByUrn.get(key.trim().toLowerCase()) : undefined;
    if (part) {
      if (!isPlainObject(item)) throw new ScimError(400, "invalidValue", `"${echo(key)}" must be an object of that schema's attributes.`);
      out.push(...expandPathless(schema, op, item, index, part.urn));
      continue;
    }
    const text = urnPrefix === undefined ? key : `${urnPrefix}:${key}`;
    if (item === undefined || (op === "add" && item === null)) continue;
    out.push(...normalizePathOp(schema, op, parsePatchPath(text), item, index));
  }
  return out;
}

/** A path naming a whole extension: its attributes one by one. */
function normalizeWholeExtension(schema: ScimResourceSchema, part: ScimSchemaPart, op: ScimPatchOpName, value: unknown, index: number): ScimPatchOp[] {
  if (op === "remove") return part.attributes.map((attr) => ({ op, path: pathOf(part, attr.name), index }));
  if (value === null) return part.attributes.map((attr) => ({ op: "replace", path: pathOf(part, attr.name), value: undefined, index }));
  if (!isPlainObject(value)) throw new ScimError(400, "invalidValue", `"${part.urn}" needs a "value" object of its attributes.`);
  const out: ScimPatchOp[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || (op === "add" && item === null)) continue;
    out.push(...normalizePathOp(schema, op, parsePatchPath(`${part.urn}:${key}`), item, index));
  }
  return out;
}

function pathOf(part: ScimSchemaPart, name: string): ScimPath {
  const text = part.isCore ? name : `${part.urn}:${name}`;
  return { attr: { attr: name.toLowerCase(), ...(part.isCore ? {} : { schema: part.urn.toLowerCase() }), text }, text };
}

function normalizePathOp(schema: ScimResourceSchema, op: ScimPatchOpName, path: ScimPath, value: unknown, index: number): ScimPatchOp[] {
  const target = resolvePatchTarget(schema, path);
  const options = { strict: true };
  if (op === "remove") {
    // Entra's legacy member removal: `path: "members"` with the members to remove as the value.
    if (value !== undefined && value !== null && target.attr.multiValued && !target.filter && !target.sub && target.attr.type === "complex") {
      const items = coerceAttributeValue(target.attr, value, target.attr.name, options) as JsonObject[] | undefined;
      return (items ?? []).map((item) => ({ op, path: { ...path, filter: equalityFilter(item, target.text) }, index }));
    }
    return [{ op, path, index }];
  }
  const def = target.sub ?? target.attr;
  const single = target.sub !== undefined || target.filter !== undefined;
  const coerced = single ? coerceAttributeValue({ ...def, multiValued: false }, value, target.text, options) : coerceAttributeValue(def, value, target.text, options);
  if (op === "add" && coerced === undefined && !target.attr.multiValued) throw new ScimError(400, "invalidValue", `add to "${target.text}" needs a value.`);
  return [{ op, path, value: coerced, index }];
}

/**
 * The element the client named: by its `value` when it has one (`{"value":"id","display":"x"}`
 * removes member "id" whatever display we stored), else by every sub-attribute it lists.
 */
function equalityFilter(item: JsonObject, text: string): ScimFilter {
  const keyed = typeof item.value === "string" ? { value: item.value } : item;
  const compares: ScimFilter[] = Object.entries(keyed)
    .filter(([, v]) => typeof v === "string" || typeof v === "boolean")
    .map(([key, v]) => ({ kind: "compare", attr: { attr: key.toLowerCase(), text: key }, op: "eq", value: v as string | boolean }));
  if (compares.length === 0) throw new ScimError(400, "invalidValue", `remove from "${text}" lists a value with nothing to match on.`);
  return compares.length === 1 ? compares[0]! : { kind: "and", filters: compares };
}
