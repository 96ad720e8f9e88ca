import type { AttrPath, ScimFilter, ScimValue } from "@/lib/scim/filter";

/*
 * An in-memory reading of RFC 7644 §3.4.2.2, written apart from the SQL compiler, for property
 * tests to hold the compiled SQL's answers against. Its choices, which the compiler must share:
 * - a value missing (null/undefined) matches no comparison but `ne` (ne is "not eq"), and
 *   `pr` also treats "" as missing;
 * - caseExact=false folds both sides with toLowerCase(); ordering compares code points;
 * - a multi-valued attribute matches when one of its elements does.
 */

export type RefType = "string" | "boolean" | "dateTime" | "decimal" | "integer";
export type RefAttr = { type: RefType; caseExact: boolean };
export type RefMulti = { subs: Record<string, RefAttr>; primarySub?: string };
/** Keys are lower-cased paths as `refKey` builds them: "username", "meta.created", "urn:...:user:department". */
/** `defaultSchema` is the URN whose attributes may also be named bare (the resource's core schema). */
export type RefSchema = { singles: Record<string, RefAttr>; multis: Record<string, RefMulti>; defaultSchema?: string };
export type RefElement = Record<string, ScimValue | undefined>;
export type RefRow = Record<string, ScimValue | undefined | RefElement[]>;

function keyOf(path: AttrPath): string {
  const name = path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

export function evaluateScimFilter(filter: ScimFilter, row: RefRow, schema: RefSchema): boolean {
  const refKey = (path: AttrPath) => keyOf(path.schema === schema.defaultSchema ? { ...path, schema: undefined } : path);
  switch (filter.kind) {
    case "and":
      return filter.filters.every((f) => evaluateScimFilter(f, row, schema));
    case "or":
      return filter.filters.some((f) => evaluateScimFilter(f, row, schema));
    case "not":
      return !evaluateScimFilter(filter.filter, row, schema);
    case "valuePath": {
      const multi = schema.multis[refKey(filter.attr)];
      if (!multi) throw new Error(`reference: no multi ${refKey(filter.attr)}`);
      const elements = (row[refKey(filter.attr)] ?? []) as RefElement[];
      const inner: RefSchema = { singles: multi.subs, multis: {} };
      return elements.some((element) => evaluateScimFilter(filter.filter, element as RefRow, inner));
    }
    case "present":
    case "compare": {
      const test = (value: unknown, attr: RefAttr) => (filter.kind === "present" ? isPresent(value) : compare(value, filter.op, filter.value, attr));
      const single = schema.singles[refKey(filter.attr)];
      if (single) return test(row[refKey(filter.attr)], single);
      const multi = schema.multis[filter.attr.attr];
      if (!multi) throw new Error(`reference: unknown ${refKey(filter.attr)}`);
      const elements = (row[filter.attr.attr] ?? []) as RefElement[];
      const subName = filter.attr.sub ?? (filter.kind === "compare" ? multi.primarySub : undefined);
      if (subName === undefined) return elements.length > 0;
      const sub = multi.subs[subName];
      if (!sub) throw new Error(`reference: unknown sub ${subName}`);
      return elements.some((element) => test(element[subName], sub));
    }
  }
}

function isPresent(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "";
}

function compare(value: unknown, op: string, literal: ScimValue, attr: RefAttr): boolean {
  if (literal === null) return op === "eq" ? !isPresent(value) : isPresent(value);
  if (op === "ne") return !compare(value, "eq", literal, attr);
  if (value === null || value === undefined) return false;
  switch (attr.type) {
    case "string": {
      const a = attr.caseExact ? String(value) : String(value).toLowerCase();
      const b = attr.caseExact ? String(literal) : String(literal).toLowerCase();
      if (op === "co") return a.includes(b);
      if (op === "sw") return a.startsWith(b);
      if (op === "ew") return a.endsWith(b);
      return order(compareCodePoints(a, b), op);
    }
    case "boolean":
      return value === literal;
    case "dateTime":
      return order(Math.sign(Date.parse(String(value)) - Date.parse(String(literal))), op);
    case "decimal":
    case "integer":
      return order(Math.sign(Number(value) - Number(literal)), op);
  }
}

function order(sign: number, op: string): boolean {
  if (op === "eq") return sign === 0;
  if (op === "gt") return sign > 0;
  if (op === "ge") return sign >= 0;
  if (op === "lt") return sign < 0;
  if (op === "le") return sign <= 0;
  throw new Error(`reference: operator ${op} on an ordered type`);
}

/** PostgreSQL's "C" collation orders UTF-8 bytes, which is code point order (not UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
}

/**
 * Writes a filter back as text, with every nested and/or in parentheses, so parsing the text
 * gives the same tree. `spell` lets a test vary the case of names and keywords.
 */
export function printScimFilter(filter: ScimFilter, spell: (word: string) => string = (w) => w): string {
  const group = (f: ScimFilter) => (f.kind === "and" || f.kind === "or" ? `(${printScimFilter(f, spell)})` : printScimFilter(f, spell));
  switch (filter.kind) {
    case "and":
    case "or":
      return filter.filters.map(group).join(` ${spell(filter.kind)} `);
    case "not":
      return `${spell("not")} (${printScimFilter(filter.filter, spell)})`;
    case "valuePath":
      return `${printPath(filter.attr, spell)}[${printScimFilter(filter.filter, spell)}]`;
    case "present":
      return `${printPath(filter.attr, spell)} ${spell("pr")}`;
    case "compare":
      return `${printPath(filter.attr, spell)} ${spell(filter.op)} ${printValue(filter.value, filter.numberText)}`;
  }
}

function printPath(path: AttrPath, spell: (word: string) => string): string {
  const name = path.sub === undefined ? spell(path.attr) : `${spell(path.attr)}.${spell(path.sub)}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}

function printValue(value: ScimValue, numberText: string | undefined): string {
  if (typeof value === "number") return numberText ?? String(value);
  return JSON.stringify(value);
}
