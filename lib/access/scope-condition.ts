import { like, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { escapeLike } from "@/lib/core/escape-like";
import type { Scope } from "./access";

/**
 * `pathColumn` (a materialized branch path) lies in the subtree rooted at `rootPath`: one
 * `LIKE 'prefix%'` on the (org_id, path text_pattern_ops) index. Paths are ids and slashes, so
 * escaping changes nothing today; it keeps a future path format from turning into a wildcard.
 */
export function pathInSubtree(pathColumn: AnyPgColumn, rootPath: string): SQL {
  return like(pathColumn, `${escapeLike(rootPath)}%`);
}

/** `pathColumn` lies in the scope: everything, nothing, or any of its subtrees. */
export function pathInScope(pathColumn: AnyPgColumn, scope: Scope): SQL {
  if (scope.kind === "all") return sql`true`;
  if (scope.kind === "none") return sql`false`;
  return or(...scope.paths.map((p) => pathInSubtree(pathColumn, p)))!;
}
