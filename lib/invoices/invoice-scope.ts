import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import { branches, invoices } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { pathInScope } from "@/lib/access/scope-condition";
import type { Principal } from "@/lib/core/context";

/**
 * "Invoices this principal may read": their org, and the branches where they hold
 * invoices:read (the subtree ids first, so the list stays an index range on branch or org).
 * Every invoice read goes through it.
 */
export function visibleInvoicesCondition(principal: Principal): SQL {
  const orgId = principal.org?.id;
  if (!orgId) return sql`false`;
  const inOrg = eq(invoices.orgId, orgId);
  const scope = scopeOf(principal.access, "invoices:read");
  if (scope.kind === "all") return inOrg;
  if (scope.kind === "none") return sql`false`;
  const subtreeIds = sql`(select ${branches.id} from ${branches} where ${branches.orgId} = ${orgId} and (${pathInScope(branches.path, scope)}))`;
  return and(inOrg, inArray(invoices.branchId, subtreeIds))!;
}
