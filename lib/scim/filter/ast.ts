/**
 * The parsed forms of a SCIM filter (RFC 7644 §3.4.2.2) and PATCH path (§3.5.2). Names are
 * case-insensitive in SCIM, so `schema`, `attr` and `sub` are lower-cased for lookup; `text`
 * keeps the path as the client wrote it, for messages.
 */
export type AttrPath = { schema?: string; attr: string; sub?: string; text?: string };

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";

export type ScimValue = string | number | boolean | null;

export type ScimFilter =
  /** `numberText` keeps a number literal exactly as written, so integers beyond 2^53 bind unrounded. */
  | { kind: "compare"; attr: AttrPath; op: CompareOp; value: ScimValue; numberText?: string }
  | { kind: "present"; attr: AttrPath }
  | { kind: "and"; filters: ScimFilter[] }
  | { kind: "or"; filters: ScimFilter[] }
  | { kind: "not"; filter: ScimFilter }
  /** `emails[type eq "work"]`: `filter`'s attribute paths name sub-attributes of `attr`. */
  | { kind: "valuePath"; attr: AttrPath; filter: ScimFilter };

/**
 * A PATCH path: `attrPath`, or `valuePath ["." subAttr]` such as `emails[type eq "work"].value`.
 * `sub` (lower-cased) is the sub-attribute after the brackets.
 */
export type ScimPath = { attr: AttrPath; filter?: ScimFilter; sub?: string; text: string };
