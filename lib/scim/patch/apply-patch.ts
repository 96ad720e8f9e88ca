import { ScimError } from "../scim-error";
import { coerceAttributeValue } from "./coerce-value";
import { applyToMultiValued } from "./apply-multi-valued";
import type { ScimPatchOp } from "./normalize-patch";
import { isBlank, isPlainObject, type JsonObject } from "./read-body";
import { removalRunOf, removalValueOf, removeByValues } from "./remove-by-value";
import { resolvePatchTarget, type PatchTarget } from "./resolve-path";
import type { ScimResourceSchema } from "./resource-schema";
import { sameJson } from "./same-json";
import type { ScimDoc } from "./scim-docs";

/*
 * PATCH operations applied to a copy of a stored document, in order (RFC 7644 §3.5.2: each op
 * sees the previous op's result; any error leaves the stored document untouched, since the
 * caller only writes what this returns). `changed` names the attributes whose value differs at
 * the end: a core attribute by its name ("active", "members"), an extension attribute as
 * "<urn>:<name>". An empty set means the PATCH changed nothing (no new version, no audit noise).
 *
 * Mutability: a read-only attribute (id, meta, a user's groups) refuses any change, but a value
 * equal to the current one passes, since Okta's group rename repeats the group's `id`. A
 * write-only attribute (password) is accepted and never stored.
 */

/**
 * Each op (or batch of removals or adds) walks its whole list once; a thousand alternating adds
 * and removals on a 90,000-member group took 12 s. This bounds the work one PATCH can ask for
 * (a second or two), far above what Okta or Entra send (a few ops, each with a list).
 */
const MAX_VALUE_VISITS = 10_000_000;

export type ScimPatchResult<T extends ScimDoc> = { resource: T; changed: Set<string> };

export function applyScimPatch<T extends ScimDoc>(resource: T, ops: ScimPatchOp[], schema: ScimResourceSchema): ScimPatchResult<T> {
  const before = structuredClone(resource) as unknown as JsonObject;
  const doc = structuredClone(resource) as unknown as JsonObject;
  let visited = 0;
  const targets = ops.map((op) => inOperation(op, () => resolvePatchTarget(schema, op.path)));
  for (let i = 0; i < ops.length; ) {
    const op = ops[i]!;
    const target = targets[i]!;
    // Every op or batch below walks its list once.
    visited += listLength(doc, target);
    if (visited > MAX_VALUE_VISITS) {
      throw new ScimError(400, "tooMany", `Operation ${op.index}: this PATCH walks ${target.attr.name} too many times (more than ${MAX_VALUE_VISITS} values in all); send it in smaller requests.`);
    }
    const run = removalRunOf(op, target);
    if (run) {
      const values = new Set<string>();
      for (; i < ops.length && removalRunOf(ops[i]!, targets[i]!)?.key === run.key; i++) values.add(removalValueOf(targets[i]!, run));
      const container = target.part.isCore ? doc : readExtension(doc, target.part.urn, false);
      if (container) removeByValues(container, run, values);
      continue;
    }
    if (isBatchableAdd(op, target)) {
      // Consecutive adds to a list without primary (members, one op per member) merge in one pass.
      const items: unknown[] = [];
      const first = op;
      for (; i < ops.length && isBatchableAdd(ops[i]!, targets[i]!) && targets[i]!.attr === target.attr && targets[i]!.part === target.part; i++) {
        const value = inOperation(ops[i]!, () => recoerce(ops[i]!.value, targets[i]!));
        if (Array.isArray(value)) items.push(...(value as unknown[]));
      }
      inOperation(first, () => {
        const container = target.part.isCore ? doc : readExtension(doc, target.part.urn, true)!;
        setOrDelete(container, target.attr.name, applyToMultiValued(container[target.attr.name], "add", items, target));
      });
      continue;
    }
    inOperation(op, () => applyOne(doc, op, target));
    i++;
  }
  tidyExtensions(doc, schema);
  assertRequired(doc, schema);
  return { resource: doc as unknown as T, changed: changedAttributes(before, doc, schema) };
}

function listLength(doc: JsonObject, target: PatchTarget): number {
  if (!target.attr.multiValued) return 0;
  const container = target.part.isCore ? doc : doc[target.part.urn];
  const list = isPlainObject(container) ? container[target.attr.name] : undefined;
  return Array.isArray(list) ? list.length : 0;
}

function isBatchableAdd(op: ScimPatchOp, target: PatchTarget): boolean {
  const { attr } = target;
  return op.op === "add" && !target.sub && !target.filter && attr.multiValued === true && (attr.mutability ?? "readWrite") === "readWrite" && !attr.subByName?.has("primary");
}

function inOperation<R>(op: ScimPatchOp, run: () => R): R {
  try {
    return run();
  } catch (error) {
    if (error instanceof ScimError && !error.message.startsWith("Operation ")) throw new ScimError(error.status, error.scimType, `Operation ${op.index}: ${error.message}`);
    throw error;
  }
}

function applyOne(doc: JsonObject, op: ScimPatchOp, target: PatchTarget): void {
  const { attr, part } = target;
  if (attr.mutability === "writeOnly") return;
  const value = op.op === "remove" ? undefined : recoerce(op.value, target);
  const container = part.isCore ? doc : readExtension(doc, part.urn, op.op !== "remove");
  if (!container) return;
  const current = container[attr.name];

  if (attr.mutability === "readOnly" || (attr.mutability === "immutable" && current !== undefined)) {
    const same = op.op !== "remove" && !target.sub && !target.filter && sameJson(current, value);
    if (!same) throw new ScimError(400, "mutability", `${attr.name} is ${attr.mutability === "readOnly" ? "read-only" : "immutable"} and cannot be changed by a client.`);
    return;
  }
  if (attr.multiValued) {
    const next = applyToMultiValued(current, op.op, value, target);
    setOrDelete(container, attr.name, next);
    return;
  }
  if (target.sub) {
    applyToSubAttribute(container, op.op, value, target);
    return;
  }
  if (op.op === "remove" || value === undefined) {
    delete container[attr.name];
  } else if (attr.type === "complex" && isPlainObject(current) && isPlainObject(value)) {
    // RFC 7644 §3.5.2.1/3: sub-attributes the value leaves out keep their values.
    container[attr.name] = { ...current, ...value };
  } else {
    container[attr.name] = value;
  }
}

/** `name.givenName`, `urn:…:User:manager.value`: one sub-attribute of a single complex attribute. */
function applyToSubAttribute(container: JsonObject, op: ScimPatchOp["op"], value: unknown, target: PatchTarget): void {
  const { attr, sub } = target;
  const current = container[attr.name];
  const parent: JsonObject = isPlainObject(current) ? { ...current } : {};
  if (op === "remove" || value === undefined) delete parent[sub!.name];
  else parent[sub!.name] = value;
  setOrDelete(container, attr.name, Object.keys(parent).length > 0 ? parent : undefined);
}

/** Ops from `normalizeScimPatch` are already typed; ops built elsewhere get the same checks. */
function recoerce(value: unknown, target: PatchTarget): unknown {
  const def = target.sub ?? target.attr;
  const single = target.sub !== undefined || target.filter !== undefined;
  return coerceAttributeValue(single ? { ...def, multiValued: false } : def, value, target.text, { strict: true });
}

function readExtension(doc: JsonObject, urn: string, create: boolean): JsonObject | undefined {
  const existing = doc[urn];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const fresh: JsonObject = {};
  doc[urn] = fresh;
  return fresh;
}

function setOrDelete(container: JsonObject, name: string, value: unknown): void {
  if (value === undefined) delete container[name];
  else container[name] = value;
}

/** An extension left empty is dropped, and `schemas` lists exactly the extensions present. */
function tidyExtensions(doc: JsonObject, schema: ScimResourceSchema): void {
  const schemas = new Set<string>([schema.core.urn]);
  for (const part of schema.extensions) {
    const ext = doc[part.urn];
    if (isPlainObject(ext) && Object.keys(ext).length > 0) schemas.add(part.urn);
    else delete doc[part.urn];
  }
  doc.schemas = [...schemas];
}

function assertRequired(doc: JsonObject, schema: ScimResourceSchema): void {
  for (const part of [schema.core, ...schema.extensions]) {
    const container = part.isCore ? doc : doc[part.urn];
    for (const attr of part.attributes) {
      if (!attr.required) continue;
      const value = isPlainObject(container) ? container[attr.name] : undefined;
      if (isBlank(value)) throw new ScimError(400, "invalidValue", `${attr.name} is required and cannot be removed or emptied.`);
    }
  }
}

function changedAttributes(before: JsonObject, after: JsonObject, schema: ScimResourceSchema): Set<string> {
  const changed = new Set<string>();
  for (const attr of schema.core.attributes) if (!sameJson(before[attr.name], after[attr.name])) changed.add(attr.name);
  for (const part of schema.extensions) {
    const b = isPlainObject(before[part.urn]) ? (before[part.urn] as JsonObject) : {};
    const a = isPlainObject(after[part.urn]) ? (after[part.urn] as JsonObject) : {};
    for (const attr of part.attributes) if (!sameJson(b[attr.name], a[attr.name])) changed.add(`${part.urn}:${attr.name}`);
  }
  return changed;
}
