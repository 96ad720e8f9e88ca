import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import type { Permission } from "@/lib/access/permissions";
import { pathInScope } from "@/lib/access/scope-condition";
import type { Principal } from "@/lib/core/context";

export interface BranchOption {
  id: string;
  name: string;
  /** For pickers that reason about ancestry (delegation, "not under itself"). */
  path: string;
  depth: number;
}

/**
 * Branches where the principal holds `permission`, in tree order: siblings by name, each child
 * right under its parent. Capped, so a 10,000-branch org still renders a usable picker; callers
 * say so next to the picker when the cap is reached.
 */
export async function listBranchOptions(db: Executor, principal: Principal, permission: Permission, limit = 500): Promise<BranchOption[]> {
  const orgId = principal.org?.id;
  const scope = scopeOf(principal.access, permission);
  if (!orgId || scope.kind === "none") return [];
  const rows = await db
    .select({ id: branches.id, name: branches.name, path: branches.path })
    .from(branches)
    .where(and(eq(branches.orgId, orgId), pathInScope(branches.path, scope)))
    .orderBy(asc(branches.path))
    .limit(limit);
  // Paths are ids, so sort by the path of lower-cased names. Compared by code unit, not
  // localeCompare: collation ignores the NUL separator, which would mix a child in among its
  // parent's siblings.
  const names = new Map(rows.map((r) => [r.id, r.name.toLowerCase()]));
  const key = (path: string) =>
    path
      .split("/")
      .filter(Boolean)
      .map((id) => names.get(id) ?? "")
      .join("\u0000");
  return rows
    .map((r) => ({ ...r, depth: r.path.split("/").filter(Boolean).length - 1, key: key(r.path) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ id, name, path, depth }) => ({ id, name, path, depth }));
}
