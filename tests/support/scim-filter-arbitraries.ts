import fc from "fast-check";
import type { AttrPath, CompareOp, ScimFilter, ScimValue } from "@/lib/scim/filter";
import type { RefAttr, RefElement, RefRow, RefSchema } from "./scim-filter-reference";

/*
 * Random filters and rows over one small schema (users with emails), shared by the parser's
 * round-trip tests and the compiler's property tests against the in-memory reference. Values are
 * drawn from small sets (with case, LIKE metacharacters, quotes and non-ASCII letters) so that
 * comparisons hit as often as they miss.
 */

export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user";
export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:user";

export const REF_SCHEMA: RefSchema = {
  defaultSchema: CORE_USER,
  singles: {
    username: { type: "string", caseExact: false },
    displayname: { type: "string", caseExact: false },
    externalid: { type: "string", caseExact: true },
    active: { type: "boolean", caseExact: false },
    "meta.created": { type: "dateTime", caseExact: false },
    age: { type: "integer", caseExact: false },
    score: { type: "decimal", caseExact: false },
    [`${ENTERPRISE}:department`]: { type: "string", caseExact: false },
  },
  multis: {
    emails: {
      primarySub: "value",
      subs: { value: { type: "string", caseExact: false }, type: { type: "string", caseExact: false }, primary: { type: "boolean", caseExact: false } },
    },
  },
};

const LETTERS = ["a", "A", "b", "B", "é", "É", "ß", "ẞ", "Σ", "σ", "İ", "i", "%", "_", "\\", "'", '"', "😀", " "];
export const textArb = fc.array(fc.constantFrom(...LETTERS), { maxLength: 3 }).map((parts) => parts.join(""));

export const INSTANTS = ["2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.001Z", "2025-06-30T23:59:59.000Z", "1999-12-31T22:00:00.000Z"];
const INTEGERS = [-3, -1, 0, 1, 2, 3];
const DECIMALS = [-1.5, 0, 0.25, 1, 2];

/** The same instant written with a +02:00 offset, so eq must compare instants, not text. */
function withOffset(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 2 * 3600_000).toISOString();
  return `${shifted.slice(0, -1)}+02:00`;
}

const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

const emailArb: fc.Arbitrary<RefElement> = fc.record({
  value: nullable(textArb),
  type: nullable(fc.constantFrom("work", "Work", "home")),
  primary: nullable(fc.boolean()),
});

export const rowArb: fc.Arbitrary<RefRow> = fc.record({
  username: nullable(textArb),
  displayname: nullable(textArb),
  externalid: nullable(textArb),
  active: nullable(fc.boolean()),
  "meta.created": nullable(fc.constantFrom(...INSTANTS)),
  age: nullable(fc.constantFrom(...INTEGERS)),
  score: nullable(fc.constantFrom(...DECIMALS)),
  [`${ENTERPRISE}:department`]: nullable(textArb),
  emails: fc.array(emailArb, { maxLength: 3 }),
});

const ORDERED: CompareOp[] = ["eq", "ne", "gt", "ge", "lt", "le"];
const ALL_OPS: CompareOp[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

function compareArb(attr: AttrPath, type: RefAttr["type"]): fc.Arbitrary<ScimFilter> {
  const node = (op: CompareOp, value: ScimValue): ScimFilter =>
    typeof value === "number" ? { kind: "compare", attr, op, value, numberText: String(value) } : { kind: "compare", attr, op, value };
  const eqNull = fc.constantFrom<CompareOp>("eq", "ne").map((op) => node(op, null));
  switch (type) {
    case "string":
      return fc.oneof({ weight: 9, arbitrary: fc.tuple(fc.constantFrom(...ALL_OPS), textArb).map(([op, v]) => node(op, v)) }, { weight: 1, arbitrary: eqNull });
    case "boolean":
      return fc.oneof(fc.tuple(fc.constantFrom<CompareOp>("eq", "ne"), fc.boolean()).map(([op, v]) => node(op, v)), eqNull);
    case "dateTime": {
      const literal = fc.constantFrom(...INSTANTS).chain((iso) => fc.constantFrom(iso, withOffset(iso), iso.replace(".000", "")));
      return fc.tuple(fc.constantFrom(...ORDERED), literal).map(([op, v]) => node(op, v));
    }
    case "integer":
      return fc.tuple(fc.constantFrom(...ORDERED), fc.constantFrom(...INTEGERS)).map(([op, v]) => node(op, v));
    case "decimal":
      return fc.tuple(fc.constantFrom(...ORDERED), fc.constantFrom(...DECIMALS)).map(([op, v]) => node(op, v));
  }
}

/** The AttrPath for a REF_SCHEMA key, sometimes with the core schema's URN in front. */
function pathArb(key: string): fc.Arbitrary<AttrPath> {
  if (key.startsWith(`${ENTERPRISE}:`)) return fc.constant({ schema: ENTERPRISE, attr: key.slice(ENTERPRISE.length + 1) });
  const [attr = "", sub] = key.split(".");
  const bare: AttrPath = sub === undefined ? { attr } : { attr, sub };
  return fc.constantFrom(bare, { ...bare, schema: CORE_USER });
}

const singleLeaf: fc.Arbitrary<ScimFilter> = fc.constantFrom(...Object.keys(REF_SCHEMA.singles)).chain((key) =>
  pathArb(key).chain((attr) =>
    fc.oneof(
      { weight: 4, arbitrary: compareArb(attr, REF_SCHEMA.singles[key]?.type ?? "string") },
      { weight: 1, arbitrary: fc.constant<ScimFilter>({ kind: "present", attr }) },
    ),
  ),
);

const EMAIL_SUBS = REF_SCHEMA.multis.emails?.subs ?? {};

const subLeaf = (prefix: boolean): fc.Arbitrary<ScimFilter> =>
  fc.constantFrom(...Object.keys(EMAIL_SUBS)).chain((sub) => {
    const attr: AttrPath = prefix ? { attr: "emails", sub } : { attr: sub };
    return fc.oneof({ weight: 4, arbitrary: compareArb(attr, EMAIL_SUBS[sub]?.type ?? "string") }, { weight: 1, arbitrary: fc.constant<ScimFilter>({ kind: "present", attr }) });
  });

const innerFilter: fc.Arbitrary<ScimFilter> = fc.letrec<{ node: ScimFilter }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 2, depthSize: "small" },
    subLeaf(false),
    fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((filters): ScimFilter => ({ kind: "and", filters })),
    fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((filters): ScimFilter => ({ kind: "or", filters })),
    tie("node").map((filter): ScimFilter => ({ kind: "not", filter })),
  ),
})).node;

const multiLeaf: fc.Arbitrary<ScimFilter> = fc.oneof(
  { weight: 3, arbitrary: subLeaf(true) },
  { weight: 1, arbitrary: fc.constant<ScimFilter>({ kind: "present", attr: { attr: "emails" } }) },
  { weight: 1, arbitrary: compareArb({ attr: "emails" }, "string") },
  { weight: 3, arbitrary: innerFilter.map((filter): ScimFilter => ({ kind: "valuePath", attr: { attr: "emails" }, filter })) },
);

export const filterArb: fc.Arbitrary<ScimFilter> = fc.letrec<{ node: ScimFilter }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 4, depthSize: "small" },
    { weight: 3, arbitrary: singleLeaf },
    { weight: 2, arbitrary: multiLeaf },
    { weight: 1, arbitrary: fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((filters): ScimFilter => ({ kind: "and", filters })) },
    { weight: 1, arbitrary: fc.array(tie("node"), { minLength: 2, maxLength: 3 }).map((filters): ScimFilter => ({ kind: "or", filters })) },
    { weight: 1, arbitrary: tie("node").map((filter): ScimFilter => ({ kind: "not", filter })) },
  ),
})).node;

/** How a test writes names and keywords: SCIM reads both case-insensitively. */
export const spellingArb = fc.constantFrom<(w: string) => string>(
  (w) => w,
  (w) => w.toUpperCase(),
  (w) => (w.length ? (w[0] ?? "").toUpperCase() + w.slice(1) : w),
);

/** Drops the parser's `text` (the path as written), which the generated trees do not carry. */
export function withoutText(filter: ScimFilter): ScimFilter {
  return JSON.parse(JSON.stringify(filter, (key, value: unknown) => (key === "text" ? undefined : value))) as ScimFilter;
}
