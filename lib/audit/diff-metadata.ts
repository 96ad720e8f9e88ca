import { canonicalJson } from "./canonical-json";

export type ChangeKind = "changed" | "added" | "removed" | "unchanged";

export interface MetadataChange {
  key: string;
  kind: ChangeKind;
  before: string | null;
  after: string | null;
}

export interface MetadataView {
  /** Key by key, metadata.before against metadata.after; null when the event has neither. */
  changes: MetadataChange[] | null;
  /** Every other metadata entry, as key and rendered value. */
  other: Array<{ key: string; value: string }>;
}

/**
 * Splits an event's metadata into a before/after diff and the rest. Commands record changes as
 * { before, after } (house rule), so a created thing has only `after` and a removed one only
 * `before`; anything that is not an object is compared as a single value.
 */
export function diffMetadata(metadata: Record<string, unknown>): MetadataView {
  const { before, after, ...rest } = metadata;
  const other = Object.entries(rest).map(([key, value]) => ({ key, value: renderValue(value) }));
  if (before === undefined && after === undefined) return { changes: null, other };
  // A missing side is an empty object: a creation is all "added", a removal all "removed".
  const beforeObject = before === undefined ? {} : asObject(before);
  const afterObject = after === undefined ? {} : asObject(after);
  const changes = beforeObject && afterObject ? diffObjects(beforeObject, afterObject) : [compare("(value)", before, after)];
  return { changes, other };
}

function diffObjects(before: Record<string, unknown>, after: Record<string, unknown>): MetadataChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.map((key) => compare(key, before[key], after[key]));
}

function compare(key: string, before: unknown, after: unknown): MetadataChange {
  const kind: ChangeKind = before === undefined ? "added" : after === undefined ? "removed" : canonicalJson(before) === canonicalJson(after) ? "unchanged" : "changed";
  return { key, kind, before: before === undefined ? null : renderValue(before), after: after === undefined ? null : renderValue(after) };
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Strings as they are (already encoded for display), anything else as JSON. */
export function renderValue(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
