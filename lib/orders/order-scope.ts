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
  const visibility = orderVisibility(principal);
  if (!visibility) return [];
  const inOrg = eq(columns.orgId, visibility.orgId);
  if (visibility.branches === "all") return [inOrg];
  const alternatives: SQL[] = [];
  if (visibility.branches) alternatives.push(and(inOrg, inArray(columns.branchId, sqlSubtreeIds(visibility.orgId, visibility.branches)))!);
  if (visibility.ownBuyerId) alternatives.push(and(inOrg, eq(columns.buyerId, visibility.ownBuyerId))!);
  return alternatives;
}

/**
 * The parts visibility is made of, for a read that plans its own query (the order list walks a
 * few branches one by one): the org; every branch ("all"), the branches whose path meets a
 * condition on `branches.path`, or none (null); and whose own orders count too.
 */
export interface OrderVisibility {
  orgId: string;
  branches: "all" | SQL | null;
  ownBuyerId: string | null;
}

export function orderVisibility(principal: Principal): OrderVisibility | null {
  const orgId = principal.org?.id;
  if (!orgId) return null;
  const branchScope = scopeOf(principal.access, "orders:read");
  if (branchScope.kind === "all") return { orgId, branches: "all", ownBuyerId: null };
  const userId = actorUserId(principal.actor);
  const ownBuyerId = scopeOf(principal.access, "orders:read-own").kind !== "none" && userId ? userId : null;
  const subtree = branchScope.kind === "subtrees" ? pathInScope(branches.path, branchScope) : null;
  if (!subtree && !ownBuyerId) return null;
  return { orgId, branches: subtree, ownBuyerId };
}

function sqlSubtreeIds(orgId: string, subtree: SQL) {
  return sql`(select ${branches.id} from ${branches} where ${branches.orgId} = ${orgId} and (${subtree}))`;
}

/** Restricts to one branch's subtree (a user-chosen filter, on top of the visibility scope). */
export function inBranchSubtree(orgId: string, branchPath: string): SQL {
  return inBranchesWhere(orgId, pathInSubtree(branches.path, branchPath));
}

/** Orders at the org's branches whose row meets `condition` (on `branches`). */
export function inBranchesWhere(orgId: string, condition: SQL): SQL {
  return inArray(orders.branchId, sqlSubtreeIds(orgId, condition));
}
