import { sql, type SQL } from "drizzle-orm";
import { escapeLike } from "@/lib/core/escape-like";
import type { AttrPath, CompareOp, ScimFilter } from "./ast";
import type { ScimAttributeMap, ScimColumnAttribute, ScimMultiAttribute } from "./attribute-map";
import { ScimFilterError } from "./errors";
import { locateAttribute, lookupSub, nameOf, type Target } from "./locate-attribute";
import { checkDateTime } from "./date-time";

/**
 * Compiles a parsed filter to one SQL boolean for a WHERE clause; every value is a bound
 * parameter. Each comparison is coalesced to false, so SQL's NULL never leaks into `not`: an
 * attribute without a value matches no comparison except `ne` (and `not (...)` of one).
 * A multi-valued attribute matches when any one of its elements does (EXISTS).
 */
export function compileScimFilter(filter: ScimFilter, resolve: ScimAttributeMap): SQL {
  return compileNode(filter, (path) => locateAttribute(path, resolve));
}

type Locate = (path: AttrPath) => Target;

function compileNode(node: ScimFilter, locate: Locate): SQL {
  switch (node.kind) {
    case "and":
    case "or":
      return sql`(${sql.join(
        node.filters.map((f) => compileNode(f, locate)),
        node.kind === "and" ? sql` and ` : sql` or `,
      )})`;
    case "not":
      return sql`(not ${compileNode(node.filter, locate)})`;
    case "present":
      return onTarget(locate(node.attr), node.attr, (column) => presentSql(column), true);
    case "compare":
      return onTarget(locate(node.attr), node.attr, (column) => compareSql(column, node, nameOf(node.attr)), false);
    case "valuePath": {
      const target = locate(node.attr);
      if (target.kind !== "multi" || target.sub) {
        throw new ScimFilterError("invalidFilter", `"${nameOf(node.attr)}[...]": brackets apply only to a multi-valued attribute such as emails.`);
      }
      return target.multi.exists(compileNode(node.filter, locateSubOf(target.multi, node.attr)));
    }
  }
}

/** Inside `emails[...]` a name is one of the element's sub-attributes, compared on the element itself. */
function locateSubOf(multi: ScimMultiAttribute, parent: AttrPath): Locate {
  return (path) => {
    const sub = path.schema === undefined && path.sub === undefined ? lookupSub(multi, path.attr) : undefined;
    if (!sub) throw new ScimFilterError("invalidFilter", `"${nameOf(parent)}" has no sub-attribute "${nameOf(path)}".`);
    return { kind: "column", column: sub };
  };
}

function onTarget(target: Target, path: AttrPath, build: (column: ScimColumnAttribute) => SQL, presence: boolean): SQL {
  if (target.kind === "column") return build(target.column);
  if (target.sub) return target.multi.exists(build(target.sub));
  if (presence) return target.multi.exists(sql`true`);
  const primary = target.multi.primarySub === undefined ? undefined : lookupSub(target.multi, target.multi.primarySub);
  if (!primary) throw new ScimFilterError("invalidFilter", `"${nameOf(path)}" has several parts: compare one of them, such as ${path.attr}.value.`);
  return target.multi.exists(build(primary));
}

const TEXT_TYPES = new Set(["string", "reference", "binary"]);

function presentSql(column: ScimColumnAttribute): SQL {
  // RFC 7644: pr means "has a non-empty value", and an empty string is empty.
  if (TEXT_TYPES.has(column.type)) return sql`coalesce(${column.sql} <> '', false)`;
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
  return sql`coalesce(${expr}, false)`;
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
