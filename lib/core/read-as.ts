import { getDb, type Db, type Tx } from "@/db/client";
import { withTenantScope, type TenantScope } from "@/db/tenant-scope";
import { actorUserId, type Principal } from "./context";

/** The row-level-security scope a principal acts in: its org and user; the operator bypasses. */
export function tenantScopeOf(principal: Principal): TenantScope {
  if (principal.actor.type === "system") return { orgId: principal.org?.id ?? null, userId: null, bypass: true };
  return { orgId: principal.org?.id ?? null, userId: actorUserId(principal.actor), bypass: false };
}

/**
 * Runs a request's reads in one transaction scoped to the principal's org, so row-level security
 * backs up the filters every query function applies itself.
 */
export function readAs<T>(principal: Principal, fn: (tx: Tx) => Promise<T>, db: Db = getDb()): Promise<T> {
  return withTenantScope(tenantScopeOf(principal), fn, db);
}
