import { and, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { branches, orders } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { actorUserId, type Principal } from "@/lib/core/context";

/**
 * The SQL condition for "orders this principal may read": the org, then the union of the
 * subtrees where they hold orders:read and, with orders:read-own, their own orders. Every order
 * read goes through this one function.
 */
export function visibleOrdersCondition(principal: Principal): SQL {
  const orgId = principal.org?.id;
  if (!orgId) return sql`false`;
  const branchScope = scopeOf(principal.access, "orders:read");
  const inOrg = eq(orders.orgId, orgId);
  if (branchScope.kind === "all") return inOrg;
  const parts: SQL[] = [];
  if (branchScope.kind === "subtrees") {
    const subtree = or(...branchScope.paths.map((p) => like(branches.path, `${p}%`)))!;
    parts.push(inArray(orders.branchId, sqlSubtreeIds(orgId, subtree)));
  }
  const ownScope = scopeOf(principal.access, "orders:read-own");
  const userId = actorUserId(principal.actor);
  if (ownScope.kind !== "none" && userId) parts.push(eq(orders.buyerId, userId));
  if (parts.length === 0) return sql`false`;
  return and(inOrg, or(...parts))!;
}

function sqlSubtreeIds(orgId: string, subtree: SQL) {
  return sql`(select ${branches.id} from ${branches} where ${branches.orgId} = ${orgId} and (${subtree}))`;
}

/** Restricts to one branch's subtree (a user-chosen filter, on top of the visibility scope). */
export function inBranchSubtree(orgId: string, branchPath: string): SQL {
  return inArray(orders.branchId, sqlSubtreeIds(orgId, like(branches.path, `${branchPath}%`)));
}
