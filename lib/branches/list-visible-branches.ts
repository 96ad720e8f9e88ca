import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { pathInScope } from "@/lib/access/scope-condition";
import type { Permission } from "@/lib/access/permissions";
import type { Principal } from "@/lib/core/context";

export interface BranchOption {
  id: string;
  name: string;
  depth: number;
}

/**
 * Branches where the principal holds `permission`, in tree order (a path sorts right after its
 * parent's), capped so a 10,000-branch org still renders a usable picker.
 */
export async function listVisibleBranches(db: Executor, principal: Principal, permission: Permission, limit = 500): Promise<BranchOption[]> {
  const orgId = principal.org?.id;
  const scope = scopeOf(principal.access, permission);
  if (!orgId || scope.kind === "none") return [];
  const inScope = pathInScope(branches.path, scope);
  const rows = await db
    .select({ id: branches.id, name: branches.name, path: branches.path })
    .from(branches)
    .where(and(eq(branches.orgId, orgId), inScope))
    .orderBy(asc(branches.path))
    .limit(limit);
  // Sort siblings by name while keeping children under their parent: build the name path.
  const byId = new Map(rows.map((r) => [r.id, r]));
  const namePath = (path: string) =>
    path
      .split("/")
      .filter(Boolean)
      .map((id) => byId.get(id)?.name ?? "")
      .join("\u0000");
  return rows
    .map((r) => ({ id: r.id, name: r.name, depth: r.path.split("/").filter(Boolean).length - 1, key: namePath(r.path) }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(({ id, name, depth }) => ({ id, name, depth }));
}
