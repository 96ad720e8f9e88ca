import { getDb, type Db, type Tx } from "./client";
import { rawSqlOf } from "./raw-client";

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

const SET_SCOPE = `select set_config('countersign.org_id', $1, true), set_config('countersign.user_id', $2, true),
  set_config('countersign.bypass', $3, true), set_config('countersign.supplier_scope', $4, true)`;

/**
 * Sets the scope for the rest of this transaction only (set_config(..., true)).
 *
 * The statement is written to the connection now, without waiting for its answer, so the
 * transaction's first read goes out right behind it and the scope costs no round trip of its
 * own (docs/adr/0011). postgres.js's `execute()` sends at once, in call order, unlike a drizzle
 * query, which is sent only when awaited: that laziness is why an earlier attempt reordered the
 * two. PostgreSQL runs a connection's statements in the order received, so every later statement
 * sees the scope; and if this one failed, the transaction is aborted and the next statement fails.
 */
export async function applyTenantScope(tx: Tx, scope: TenantScope): Promise<void> {
  const sent = rawSqlOf(tx)
    .unsafe(SET_SCOPE, [scope.orgId ?? "", scope.userId ?? "", scope.bypass ? "on" : "off", scope.supplierScope ? "on" : "off"], { prepare: true })
    .execute();
  // Its own answer is not needed; a failure shows on the next statement (the transaction is aborted).
  sent.catch(() => {});
}

/** Runs `fn` in one transaction scoped to a tenant. */
export async function withTenantScope<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>, db: Db = getDb()): Promise<T> {
  return db.transaction(async (tx) => {
    await applyTenantScope(tx, scope);
    return fn(tx);
  });
}
