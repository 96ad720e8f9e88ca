import { and, eq, gte, inArray, like, lt, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents, branches } from "@/db/schema";
import { scopeOf } from "@/lib/access/access";
import { pathInScope, pathInSubtree } from "@/lib/access/scope-condition";
import { findBranch } from "@/lib/branches/find-branch";
import type { Principal } from "@/lib/core/context";
import { escapeLike } from "@/lib/core/escape-like";
import { ForbiddenError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import { parseUtcDateTime, type AuditFilters } from "./schemas";

/**
 * The events of the principal's own org that audit:read lets them see: all of them for a grant
 * at the org root (or the operator), else those filed under a branch of a granted subtree. An
 * event with no branch (sign-ins, org settings) is org-level and needs the root grant. Every
 * audit read goes through this one function, and it refuses outright without audit:read.
 */
export function visibleAuditCondition(principal: Principal): SQL {
  const orgId = principal.org?.id;
  const scope = scopeOf(principal.access, "audit:read");
  // Never the global chain (org-less events): it is the operator's, not any one org's.
  if (!orgId || scope.kind === "none") throw new ForbiddenError("You need the audit:read permission to see the audit trail.", "audit:read");
  const inOrg = eq(auditEvents.orgId, orgId);
  if (scope.kind === "all") return inOrg;
  const subtrees = pathInScope(branches.path, scope);
  return and(inOrg, inArray(auditEvents.branchId, branchIdsWhere(orgId, subtrees)))!;
}

/** The user's filters, on top of the visibility condition. */
export async function buildFilterConditions(db: Executor, orgId: string, filters: AuditFilters): Promise<SQL[]> {
  const conditions: SQL[] = [];
  if (filters.actor) {
    // Actor ids are uuids (users, tokens): an exact, indexed match. Anything else is the start
    // of the label the actor had then (an email), case-insensitive.
    conditions.push(isUuid(filters.actor) ? eq(auditEvents.actorId, filters.actor.toLowerCase()) : sql`lower(${auditEvents.actorLabel}) like lower(${`${escapeLike(filters.actor)}%`})`);
  }
  if (filters.action) {
    conditions.push(filters.action.endsWith(".") ? like(auditEvents.action, `${escapeLike(filters.action)}%`) : eq(auditEvents.action, filters.action));
  }
  if (filters.target) conditions.push(eq(auditEvents.targetId, filters.target));
  if (filters.outcome) conditions.push(eq(auditEvents.outcome, filters.outcome));
  if (filters.branch) {
    const branch = await findBranch(db, orgId, filters.branch);
    conditions.push(branch ? inArray(auditEvents.branchId, branchIdsWhere(orgId, pathInSubtree(branches.path, branch.path))) : sql`false`);
  }
  const from = filters.from ? parseUtcDateTime(filters.from) : null;
  const to = filters.to ? parseUtcDateTime(filters.to) : null;
  if (from) conditions.push(gte(auditEvents.occurredAt, from));
  if (to) conditions.push(lt(auditEvents.occurredAt, to));
  return conditions;
}

function branchIdsWhere(orgId: string, condition: SQL) {
  return sql`(select ${branches.id} from ${branches} where ${branches.orgId} = ${orgId} and (${condition}))`;
}
