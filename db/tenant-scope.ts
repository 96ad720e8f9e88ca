import { sql } from "drizzle-orm";
import { getDb, type Db, type Tx } from "./client";

/**
 * Which tenant a transaction acts for; row-level security (db/migrations/0003) reads it from
 * transaction-local settings. `bypass` is for the operator and for the authentication step,
 * which must look across orgs before anyone is known.
 */
export interface TenantScope {
  orgId: string | null;
  userId: string | null;
  bypass: boolean;
  /**
   * The supplier's staff reading (or managing) its accounts' rows. Set only by
   * lib/accounts/supplier-scope.ts after its checks; the policies also require that `orgId` is
   * the supplier, so it admits nothing for any other org (migration supplier_scope).
   */
  supplierScope?: boolean;
}

export const noTenant: TenantScope = { orgId: null, userId: null, bypass: false };

/** Sets the scope for the rest of this transaction only (set_config(..., true)). */
export async function applyTenantScope(tx: Tx, scope: TenantScope): Promise<void> {
  await tx.execute(sql`select
    set_config('countersign.org_id', ${scope.orgId ?? ""}, true),
    set_config('countersign.user_id', ${scope.userId ?? ""}, true),
    set_config('countersign.bypass', ${scope.bypass ? "on" : "off"}, true),
    set_config('countersign.supplier_scope', ${scope.supplierScope ? "on" : "off"}, true)`);
}

/** Runs `fn` in one transaction scoped to a tenant. */
export async function withTenantScope<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>, db: Db = getDb()): Promise<T> {
  return db.transaction(async (tx) => {
    await applyTenantScope(tx, scope);
    return fn(tx);
  });
}
