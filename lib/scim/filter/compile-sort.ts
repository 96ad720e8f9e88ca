import { sql, type SQL } from "drizzle-orm";
import type { ScimAttributeMap, ScimColumnAttribute } from "./attribute-map";
import { ScimFilterError } from "./errors";
import { foldSides } from "./compile-filter";
import { locateAttribute } from "./locate-attribute";
import { parseScimAttrPath } from "./parse-path";

/**
 * `sortBy` and `sortOrder` (RFC 7644 §3.4.2.3) as one ORDER BY term, or undefined without a
 * sortBy. Case-insensitive attributes sort by their lower-cased value, text by code point;
 * values missing sort last ascending (first descending). The caller appends its own unique
 * tiebreaker (the id) so pages stay stable.
 */
export function compileScimSort(sortBy: string | undefined, sortOrder: string | undefined, resolve: ScimAttributeMap): SQL | undefined {
  const descending = readDescending(sortOrder);
  if (sortBy === undefined || sortBy === "") return undefined;
  const path = parseScimAttrPath(sortBy, "sortBy", "invalidValue");
  const target = locateAttribute(path, resolve, "invalidValue");
  let expr: SQL;
  if (target.kind === "column") expr = sortValue(target.column);
  else if (target.multi.sort && (target.subName === undefined || target.subName === target.multi.primarySub?.toLowerCase())) expr = target.multi.sort;
  else throw new ScimFilterError("invalidValue", `"sortBy": ${sortBy} cannot be sorted on here.`);
  return descending ? sql`${expr} desc nulls first` : sql`${expr} asc nulls last`;
}

function readDescending(sortOrder: string | undefined): boolean {
  if (sortOrder === undefined || sortOrder === "") return false;
  const order = sortOrder.toLowerCase();
  if (order === "ascending") return false;
  if (order === "descending") return true;
  throw new ScimFilterError("invalidValue", `"sortOrder" must be ascending or descending, not "${sortOrder.slice(0, 40)}".`);
}

function sortValue(column: ScimColumnAttribute): SQL {
  if (column.type === "string" || column.type === "reference" || column.type === "binary") return sql`(${foldSides(column).lhs}) collate "C"`;
  return sql`${column.sql}`;
}
