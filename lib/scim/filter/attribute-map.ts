import type { AnyColumn, SQL } from "drizzle-orm";
import type { AttrPath } from "./ast";

export type ScimAttributeType = "string" | "boolean" | "dateTime" | "decimal" | "integer" | "reference" | "binary";

/**
 * A single value the database holds in one expression of the outer row (a column, or jsonb ->> 'x').
 * `folded`, for a caseExact=false string, is the same value already lower-cased by JavaScript's
 * toLowerCase() (a stored key column): the compiler then compares it with the value lower-cased
 * the same way, so the key's index serves eq and sw. Without it both sides go through
 * lower(... collate "und-x-icu"), Unicode-aware whatever the database's locale.
 */
export type ScimColumnAttribute = { kind: "column"; sql: SQL | AnyColumn; type: ScimAttributeType; caseExact: boolean; folded?: SQL | AnyColumn };

/**
 * A multi-valued complex attribute (emails, groups, members) stored in a child table or a jsonb
 * array. `exists(where)` must give EXISTS(select 1 from child where child.parent = outer.id and
 * <where>), with `subs` naming the child's columns (keys lower-cased). `sort`, when given, is the
 * value a sort by this attribute uses (RFC 7644 §3.4.2.3: the primary value, else the first).
 */
export type ScimMultiAttribute = {
  kind: "multi";
  exists: (where: SQL) => SQL;
  subs: Record<string, ScimColumnAttribute>;
  primarySub?: string;
  sort?: SQL;
};

export type ScimAttribute = ScimColumnAttribute | ScimMultiAttribute;

/**
 * Resolves a filter's attribute path to where it is stored; undefined means "unknown attribute"
 * (answered invalidFilter). It receives the whole path; for a multi-valued attribute it may
 * return the multi for `emails.value` too, and the compiler takes the sub-attribute from `subs`.
 */
export type ScimAttributeMap = (path: AttrPath) => ScimAttribute | undefined;
