import { sql, type SQL } from "drizzle-orm";
import { escapeLike } from "@/lib/core/escape-like";
import type { AttrPath, CompareOp, ScimFilter } from "./ast";
import type { ScimAttributeMap, ScimColumnAttribute, ScimMultiAttribute } from "./attribute-map";
import { ScimFilterError } from "./errors";
import { locateAttribute, lookupSub, nameOf, type Target } from "./locate-attribute";
import { checkDateTime } from "./date-time";
import { MAX_FILTER_SUBQUERIES } from "./limits";

/**
 * Compiles a parsed filter to one SQL boolean for a WHERE clause; every value is a bound
 * parameter. Each comparison is guarded by "value is not null and ...", so it is never NULL and
 * SQL's three-valued logic never leaks into `not`: an attribute without a value matches no
 * comparison except `ne` (and `not (...)` of one). A guard, not coalesce(), because the planner
 * can still use an index for `key = $1` inside an AND, and cannot inside coalesce().
 * A multi-valued attribute matches when any one of its elements does (EXISTS).
 */
export function compileScimFilter(filter: ScimFilter, resolve: ScimAttributeMap): SQL {
  return compileNode(filter, { locate: (path) => locateAttribute(path, resolve), subqueries: 0 });
}

/** How names resolve here (the row, or inside brackets an element), and the EXISTS subqueries so far. */
type Scope = { locate: (path: AttrPath) => Target; subqueries: number };

/** One term: plain SQL on the row, or a condition on one element of a multi-valued attribute, not yet wrapped in EXISTS. */
type Term = { sql: SQL } | { multi: ScimMultiAttribute; where: SQL };

function compileNode(node: ScimFilter, scope: Scope): SQL {
  return finish(compileTerm(node, scope), scope);
}

function finish(term: Term, scope: Scope): SQL {
  if ("sql" in term) return term.sql;
  // Each EXISTS runs once per candidate row: a filter of hundreds of them is a denial of service, not a query.
  if (++scope.subqueries > MAX_FILTER_SUBQUERIES) {
    throw new ScimFilterError(
      "invalidFilter",
      `The filter tests multi-valued attributes in more than ${MAX_FILTER_SUBQUERIES} places: combine the tests of one attribute in one value path, such as emails[type eq "work" or value co "@x"].`,
    );
  }
  return term.multi.exists(term.where);
}

function compileTerm(node: ScimFilter, scope: Scope): Term {
  const { locate } = scope;
  switch (node.kind) {
    case "and":
      return { sql: sql`(${sql.join(node.filters.map((f) => compileNode(f, scope)), sql` and `)})` };
    case "or":
      return { sql: sql`(${sql.join(mergeAlternatives(node.filters.map((f) => compileTerm(f, scope))).map((term) => finish(term, scope)), sql` or `)})` };
    case "not":
      return { sql: sql`(not ${compileNode(node.filter, scope)})` };
    case "present":
      return onTarget(locate(node.attr), node.attr, (column) => presentSql(column), true);
    case "compare":
      return onTarget(locate(node.attr), node.attr, (column) => compareSql(column, node, nameOf(node.attr)), false);
    case "valuePath": {
      const target = locate(node.attr);
      if (target.kind !== "multi" || target.sub) {
        throw new ScimFilterError("invalidFilter", `"${nameOf(node.attr)}[...]": brackets apply only to a multi-valued attribute such as emails.`);
      }
      const inner: Scope = { locate: locateSubOf(target.multi, node.attr), subqueries: scope.subqueries };
      const where = compileNode(node.filter, inner);
      scope.subqueries = inner.subqueries;
      return { multi: target.multi, where };
    }
  }
}

/**
 * "Some element matches A, or some element matches B" is "some element matches A or B": or-ed
 * terms on the same multi-valued attribute share one EXISTS, so a long or-chain over members or
 * emails costs one subquery per row instead of one per term. (Not for and: two elements may
 * each match one side.)
 */
function mergeAlternatives(terms: Term[]): Term[] {
  // Each multi-valued attribute keeps the place of its first term; its later terms join that one.
  const slots: (Term | { multi: ScimMultiAttribute; wheres: SQL[] })[] = [];
  const byMulti = new Map<ScimMultiAttribute, { multi: ScimMultiAttribute; wheres: SQL[] }>();
  for (const term of terms) {
    if ("sql" in term) {
      slots.push(term);
      continue;
    }
    const group = byMulti.get(term.multi);
    if (group) group.wheres.push(term.where);
    else {
      const created = { multi: term.multi, wheres: [term.where] };
      byMulti.set(term.multi, created);
      slots.push(created);
    }
  }
  return slots.map((slot) => {
    if (!("wheres" in slot)) return slot;
    const [only] = slot.wheres;
    return { multi: slot.multi, where: slot.wheres.length === 1 && only ? only : sql`(${sql.join(slot.wheres, sql` or `)})` };
  });
}

/** Inside `emails[...]` a name is one of the element's sub-attributes, compared on the element itself. */
function locateSubOf(multi: ScimMultiAttribute, parent: AttrPath): Scope["locate"] {
  return (path) => {
    const sub = path.schema === undefined && path.sub === undefined ? lookupSub(multi, path.attr) : undefined;
    if (!sub) throw new ScimFilterError("invalidFilter", `"${nameOf(parent)}" has no sub-attribute "${nameOf(path)}".`);
    return { kind: "column", column: sub };
  };
}

function onTarget(target: Target, path: AttrPath, build: (column: ScimColumnAttribute) => SQL, presence: boolean): Term {
  if (target.kind === "column") return { sql: build(target.column) };
  if (target.sub) return { multi: target.multi, where: build(target.sub) };
  if (presence) return { multi: target.multi, where: sql`true` };
  const primary = target.multi.primarySub === undefined ? undefined : lookupSub(target.multi, target.multi.primarySub);
  if (!primary) throw new ScimFilterError("invalidFilter", `"${nameOf(path)}" has several parts: compare one of them, such as ${path.attr}.value.`);
  return { multi: target.multi, where: build(primary) };
}

const TEXT_TYPES = new Set(["string", "reference", "binary"]);

function presentSql(column: ScimColumnAttribute): SQL {
  // RFC 7644: pr means "has a non-empty value", and an empty string is empty.
  if (TEXT_TYPES.has(column.type)) return sql`(${column.sql} is not null and ${column.sql} <> '')`;
  return sql`(${column.sql} is not null)`;
}

type Compare = Extract<ScimFilter, { kind: "compare" }>;

function compareSql(column: ScimColumnAttribute, node: Compare, name: string): SQL {
  if (node.value === null) {
    if (node.op === "eq") return sql`(not ${presentSql(column)})`;
    if (node.op === "ne") return presentSql(column);
    throw new ScimFilterError("invalidFilter", `"${name} ${node.op} null": null can only be compared with eq or ne.`);
  }
  if (node.op === "ne") return sql`(not ${compareSql(column, { ...node, op: "eq" }, name)})`;
  const expr = typedCompare(column, node, name);
  // The compared expression is NULL exactly when the stored value it reads is (the bound side never is).
  const stored = TEXT_TYPES.has(column.type) && !column.caseExact && column.folded !== undefined ? column.folded : column.sql;
  return sql`(${stored} is not null and ${expr})`;
}

function typedCompare(column: ScimColumnAttribute, node: Compare, name: string): SQL {
  const { op, value } = node;
  switch (column.type) {
    case "string":
    case "reference":
    case "binary": {
      if (typeof value !== "string") throw mismatch(name, op, 'holds text: compare it with a "quoted string"');
      if (column.type === "binary" && op !== "eq") throw unsupported(name, op, "binary values can only be compared with eq, ne or pr");
      return textCompare(column, op, value);
    }
    case "boolean":
      if (op !== "eq") throw unsupported(name, op, "true or false can only be compared with eq, ne or pr");
      if (typeof value !== "boolean") throw mismatch(name, op, "is true or false: compare it with true or false, unquoted");
      return sql`${column.sql} = ${value}`;
    case "dateTime": {
      if (op === "co" || op === "sw" || op === "ew") throw unsupported(name, op, "a date and time is compared with eq, ne, gt, ge, lt, le or pr");
      if (typeof value !== "string") throw mismatch(name, op, 'is a date and time: compare it with a quoted one, such as "2026-05-01T09:30:00Z"');
      return sql`${column.sql} ${ORDER_SQL[op]} cast(${checkDateTime(value, name)} as timestamptz)`;
    }
    case "decimal":
    case "integer": {
      if (op === "co" || op === "sw" || op === "ew") throw unsupported(name, op, "a number is compared with eq, ne, gt, ge, lt, le or pr");
      if (typeof value !== "number") throw mismatch(name, op, "is a number: compare it with an unquoted number");
      return sql`${column.sql} ${ORDER_SQL[op]} cast(${node.numberText ?? String(value)} as numeric)`;
    }
  }
}

// ne never reaches these (compareSql turns it into not eq), but maps to eq's = for completeness of the table.
const ORDER_SQL: Record<"eq" | "ne" | "gt" | "ge" | "lt" | "le", SQL> = { eq: sql`=`, ne: sql`=`, gt: sql`>`, ge: sql`>=`, lt: sql`<`, le: sql`<=` };

/**
 * caseExact=false lower-cases both sides in PostgreSQL (one lower(), the same on both sides),
 * gt/lt compare code points (COLLATE "C") rather than the server's locale, and co/sw/ew escape
 * LIKE's % _ \ so the value matches only literally.
 */
function textCompare(column: ScimColumnAttribute, op: CompareOp, value: string): SQL {
  const { lhs, rhs } = foldSides(column);
  switch (op) {
    case "co":
    case "sw":
    case "ew": {
      // Folding first, then escaping: the escapes are ASCII punctuation that no case mapping touches.
      const pattern = (text: string) => `${op === "sw" ? "" : "%"}${escapeLike(text)}${op === "ew" ? "" : "%"}`;
      return sql`${lhs} like ${rhs(value, pattern)} escape '\\'`;
    }
    case "eq":
    case "ne":
      return sql`${lhs} = ${rhs(value)}`;
    default:
      return sql`(${lhs}) collate "C" ${ORDER_SQL[op]} (${rhs(value)}) collate "C"`;
  }
}

type Sides = { lhs: SQL; rhs: (value: string, shape?: (text: string) => string) => SQL };

/** The column's side and the bound value's side of a text comparison, folded alike when caseExact=false. */
export function foldSides(column: ScimColumnAttribute): Sides {
  const bind = (text: string) => sql`cast(${text} as text)`;
  const same = (text: string) => text;
  if (column.caseExact) return { lhs: sql`${column.sql}`, rhs: (value, shape = same) => bind(shape(value)) };
  if (column.folded !== undefined) return { lhs: sql`${column.folded}`, rhs: (value, shape = same) => bind(shape(value.toLowerCase())) };
  // The server's locale may be "C", whose lower() folds ASCII only; ICU's root locale folds Unicode as JavaScript does.
  const lower = (expr: SQL) => sql`lower((${expr}) collate "und-x-icu")`;
  return { lhs: lower(sql`${column.sql}`), rhs: (value, shape = same) => lower(bind(shape(value))) };
}

function mismatch(name: string, op: string, reason: string): ScimFilterError {
  return new ScimFilterError("invalidFilter", `"${name} ${op} ...": ${name} ${reason}.`);
}

function unsupported(name: string, op: string, reason: string): ScimFilterError {
  return new ScimFilterError("invalidFilter", `"${name} ${op} ..." is not supported: ${reason}.`);
}
