import { getDb, type Db, type Tx } from "@/db/client";
import { applyTenantScope, withTenantScope } from "@/db/tenant-scope";
import { can } from "@/lib/access/access";
import type { Permission } from "@/lib/access/permissions";
import type { OrgRef, Principal, RequestMeta } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { tenantScopeOf } from "@/lib/core/read-as";
import { findSupplier } from "./find-supplier";
import { recordSupplierReadDenied } from "./record-supplier-read-denied";

/** What the supplier's staff may do across accounts; each is checked at the supplier's root. */
export type SupplierPermission = Extract<Permission, "accounts:read" | "accounts:manage" | "catalog:manage" | "orders:read" | "invoices:issue">;

export const NOT_SUPPLIER_MESSAGE = "Only the supplier's staff can do that.";

/**
 * The principal acts for the supplier and holds `permission` at its root, else 403. The
 * supplier-only permissions (lib/access/permissions.ts) are inert anywhere else: a customer's
 * Admin who was given accounts:manage still fails the first check.
 */
export async function assertSupplierStaff(tx: Tx, principal: Principal, permission: SupplierPermission): Promise<OrgRef> {
  const supplier = await findSupplier(tx);
  if (!supplier || !principal.org || principal.org.id !== supplier.id) throw new ForbiddenError(NOT_SUPPLIER_MESSAGE, permission);
  if (!can(principal.access, permission, "")) throw new ForbiddenError(undefined, permission);
  return supplier;
}

/**
 * Supplier-scope reads: one transaction scoped to the supplier's org with the supplier-scope
 * flag on, which is what lets row-level security show its accounts' rows (orders, branches'
 * names, account terms). The only way in for reads; the checks run inside the same transaction.
 * A refusal (403) is recorded as `supplier.read.denied` when `meta` says where the request came from.
 */
export async function readAsSupplier<T>(
  principal: Principal,
  permission: SupplierPermission,
  fn: (tx: Tx, supplier: OrgRef) => Promise<T>,
  db: Db = getDb(),
  meta?: RequestMeta & { what: string },
): Promise<T> {
  try {
    return await withTenantScope(
      tenantScopeOf(principal),
      async (tx) => {
        const supplier = await assertSupplierStaff(tx, principal, permission);
        await applyTenantScope(tx, { ...tenantScopeOf(principal), supplierScope: true });
        return fn(tx, supplier);
      },
      db,
    );
  } catch (error) {
    if (error instanceof ForbiddenError && meta) await recordSupplierReadDenied(principal, meta, { permission, reason: error.message, what: meta.what }, db);
    throw error;
  }
}

/** The same for a command's body: checks, then turns the flag on for the rest of its transaction. */
export async function enterSupplierScope(ctx: { tx: Tx; principal: Principal }, permission: SupplierPermission): Promise<OrgRef> {
  const supplier = await assertSupplierStaff(ctx.tx, ctx.principal, permission);
  await applyTenantScope(ctx.tx, { ...tenantScopeOf(ctx.principal), supplierScope: true });
  return supplier;
}
