import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches } from "@/db/schema";
import { can, scopeCovers, scopeOf, type Access, type Scope } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { findBranch } from "./find-branch";

export interface BranchNode {
  id: string;
  name: string;
  parentId: string | null;
  hasChildren: boolean;
  /** branches:manage here: rename, move and add children (the commands check again). */
  canManage: boolean;
  /** orders:create here: the branch's addresses are theirs to read (its ship-to addresses). */
  canOrder: boolean;
}

export interface BranchChildrenPage {
  nodes: BranchNode[];
  nextCursor: string | null;
}

const NO_PARENT = "00000000-0000-0000-0000-000000000000";

/** Who may see the tree: anyone who reads orders or manages branches, wherever they do. */
export function branchViewScope(access: Access): Scope {
  const a = scopeOf(access, "orders:read");
  const b = scopeOf(access, "branches:manage");
  if (a.kind === "all" || b.kind === "all") return { kind: "all" };
  const paths = [...(a.kind === "subtrees" ? a.paths : []), ...(b.kind === "subtrees" ? b.paths : [])].sort();
  const roots = paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
  return roots.length ? { kind: "subtrees", paths: roots } : { kind: "none" };
}

/**
 * One keyset page of a node's children, by name. `parentId: null` means the top of what the
 * principal can see: the org's top-level branches, or the roots of their subtrees. Children are
 * read through the sibling-name index, so a node with 10,000 children costs one index range.
 */
export async function listBranchChildren(db: Executor, principal: Principal, input: { parentId: string | null; cursor?: string; limit?: number }): Promise<BranchChildrenPage> {
  const orgId = principal.org?.id;
  const scope = branchViewScope(principal.access);
  const limit = input.limit ?? 50;
  if (!orgId || scope.kind === "none") return { nodes: [], nextCursor: null };
  let where: SQL;
  if (input.parentId) {
    const parent = await findBranch(db, orgId, input.parentId);
    if (!parent || !scopeCovers(scope, parent.path)) return { nodes: [], nextCursor: null };
    where = eq(sql`coalesce(${branches.parentId}, ${NO_PARENT}::uuid)`, parent.id);
  } else if (scope.kind === "all") {
    where = eq(sql`coalesce(${branches.parentId}, ${NO_PARENT}::uuid)`, sql`${NO_PARENT}::uuid`);
  } else {
    // A subtree root's id is the last segment of its path.
    where = inArray(branches.id, scope.paths.map((p) => p.split("/").filter(Boolean).pop()!));
  }
  const conditions = [eq(branches.orgId, orgId), where];
  if (input.cursor) {
    const { value, id } = decodeCursor(input.cursor, { sort: "name", dir: "asc", field: "cursor" });
    // The first half bounds the sibling-name index scan; the row comparison breaks name ties.
    conditions.push(sql`lower(${branches.name}) >= ${String(value)} and (lower(${branches.name}), ${branches.id}) > (${String(value)}, ${id}::uuid)`);
  }
  const rows = await db
    .select({
      id: branches.id,
      name: branches.name,
      parentId: branches.parentId,
      path: branches.path,
      // A child is a longer path under this one: a range on the (org_id, path text_pattern_ops)
      // index, whatever the fan-out ('~' sorts after every character a path holds). Qualified by
      // hand: Drizzle leaves select-list columns unqualified on one table.
      hasChildren: sql<boolean>`exists (select 1 from "branches" c where c.org_id = "branches"."org_id" and c.path ~>~ "branches"."path" and c.path ~<~ ("branches"."path" || '~'))`,
    })
    .from(branches)
    .where(and(...conditions))
    .orderBy(asc(sql`lower(${branches.name})`), asc(branches.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    nodes: page.map((r) => ({ id: r.id, name: r.name, parentId: r.parentId, hasChildren: r.hasChildren, canManage: can(principal.access, "branches:manage", r.path), canOrder: can(principal.access, "orders:create", r.path) })),
    nextCursor: rows.length > limit && last ? encodeCursor("name", "asc", last.name.toLowerCase(), last.id) : null,
  };
}

export interface VisibleBranch extends BranchNode {
  path: string;
  /** From the top of the tree down to the parent, for breadcrumbs. */
  ancestors: Array<{ id: string; name: string }>;
}

/** One branch the principal can see in the tree, with its ancestors; null when not visible. */
export async function findVisibleBranch(db: Executor, principal: Principal, branchId: string): Promise<VisibleBranch | null> {
  const orgId = principal.org?.id;
  if (!orgId) return null;
  const branch = await findBranch(db, orgId, branchId);
  if (!branch || !scopeCovers(branchViewScope(principal.access), branch.path)) return null;
  const ancestorIds = branch.path.split("/").filter(Boolean).slice(0, -1);
  const rows = ancestorIds.length ? await db.select({ id: branches.id, name: branches.name }).from(branches).where(and(eq(branches.orgId, orgId), inArray(branches.id, ancestorIds))) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const kids = await db.select({ id: branches.id }).from(branches).where(and(eq(branches.orgId, orgId), eq(branches.parentId, branch.id))).limit(1);
  return {
    id: branch.id,
    name: branch.name,
    parentId: branch.parentId,
    path: branch.path,
    hasChildren: kids.length > 0,
    canManage: can(principal.access, "branches:manage", branch.path),
    canOrder: can(principal.access, "orders:create", branch.path),
    ancestors: ancestorIds.map((id) => byId.get(id)).filter((a): a is { id: string; name: string } => Boolean(a)),
  };
}
