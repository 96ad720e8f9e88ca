import { like, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { escapeLike } from "@/lib/core/escape-like";
import type { Scope } from "./access";

/**
 * `pathColumn` (a materialized branch path) lies in the subtree rooted at `rootPath`, as a range
 * on the (org_id, path text_pattern_ops) index: `path ~>=~ root and path ~<~ next`, where `next`
 * is `root` with its last character raised by one, so the range holds exactly the paths that
 * start with `root`. Not `LIKE 'root%'`: under row-level security PostgreSQL lets only leakproof
 * operators reach an index before the policy has run, and LIKE is not one (`~>=~` and `~<~` are),
 * so a LIKE would filter a scan of the whole org. A root whose last character has no ASCII
 * successor (never a path today: paths are ids and slashes) falls back to an escaped LIKE.
 */
export function pathInSubtree(pathColumn: AnyPgColumn, rootPath: string): SQL {
  const last = rootPath.charCodeAt(rootPath.length - 1);
  if (!(last >= 0x20 && last < 0x7e)) return like(pathColumn, `${escapeLike(rootPath)}%`);
  const next = rootPath.slice(0, -1) + String.fromCharCode(last + 1);
  return sql`(${pathColumn} ~>=~ ${rootPath} and ${pathColumn} ~<~ ${next})`;
}

/** `pathColumn` lies in the scope: everything, nothing, or any of its subtrees. */
export function pathInScope(pathColumn: AnyPgColumn, scope: Scope): SQL {
  if (scope.kind === "all") return sql`true`;
  if (scope.kind === "none") return sql`false`;
  return or(...scope.paths.map((p) => pathInSubtree(pathColumn, p)))!;
}
