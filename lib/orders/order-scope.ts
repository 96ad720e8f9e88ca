import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { branches, orders } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { pathInScope, pathInSubtree } from "@/lib/access/scope-condition";
import { actorUserId, type Principal } from "@/lib/core/context";

/**
 * The SQL condition for "orders this principal may read": the org, then the union of the
 * subtrees where they hold orders:read and, with orders:read-own, their own orders. Every order
 * read goes through this one function.
 */
export function visibleOrdersCondition(principal: Principal): SQL {
  const alternatives = visibleOrderAlternatives(principal);
  if (alternatives.length === 0) return sql`false`;
  return alternatives.length === 1 ? alternatives[0]! : or(...alternatives)!;
}

/** The columns visibility is decided on: the orders table's, or a rollup's keyed the same way (lib/overview). */
export interface OrderScopeColumns {
  orgId: AnyPgColumn;
  branchId: AnyPgColumn;
  buyerId: AnyPgColumn;
}

/**
 * The same visibility as separate alternatives, each complete with the org: the subtrees where
 * orders:read applies, and the principal's own orders with orders:read-own. A list with both
 * queries each one on its own index and unions the tops: an OR of the two defeats the index,
 * which at a million orders is the difference between milliseconds and seconds.
 */
export function visibleOrderAlternatives(principal: Principal, columns: OrderScopeColumns = orders): SQL[] {
  const orgId = principal.org?.id;
  if (!orgId) return [];
  const inOrg = eq(columns.orgId, orgId);
  const branchScope = scopeOf(principal.access, "orders:read");
  if (branchScope.kind === "all") return [inOrg];
  const alternatives: SQL[] = [];
  if (branchScope.kind === "subtrees") {
    const subtree = pathInScope(branches.path, branchScope);
    alternatives.push(and(inOrg, inArray(columns.branchId, sqlSubtreeIds(orgId, subtree)))!);
  }
  const userId = actorUserId(principal.actor);
  if (scopeOf(principal.access, "orders:read-own").kind !== "none" && userId) alternatives.push(and(inOrg, eq(columns.buyerId, userId))!);
  return alternatives;
}

function sqlSubtreeIds(orgId: string, subtree: SQL) {
  return sql`(select ${branches.id} from ${branches} where ${branches.orgId} = ${orgId} and (${subtree}))`;
}

/** Restricts to one branch's subtree (a user-chosen filter, on top of the visibility scope). */
export function inBranchSubtree(orgId: string, branchPath: string): SQL {
  return inArray(orders.branchId, sqlSubtreeIds(orgId, pathInSubtree(branches.path, branchPath)));
}
