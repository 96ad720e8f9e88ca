import type { Executor } from "@/db/client";
import { can, holdsAnywhere } from "@/lib/access/access";
import { loadAccountTerms, type AccountTerms } from "@/lib/accounts/account-terms";
import { findSupplier } from "@/lib/accounts/find-supplier";
import type { OrgRef, Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError } from "@/lib/core/errors";

/** Who is looking at the catalog, and so which prices they may see. */
export type CatalogViewer =
  | { kind: "supplier"; supplier: OrgRef; canManage: boolean; canSeeAccountPrices: boolean }
  | { kind: "customer"; supplier: OrgRef; accountOrgId: string; terms: AccountTerms };

export class NoAccountError extends NotFoundError {
  constructor(readonly supplierName: string | null) {
    super("Catalog");
  }
}

/**
 * The supplier's staff (catalog:manage or accounts:read at its root) see every product and every
 * list price. A customer's member who holds orders:create or orders:read anywhere sees active
 * products at their own account's prices. Anyone else: 403; an org without an account, or an
 * installation without a supplier: 404 (there is no catalog for them).
 */
export async function resolveCatalogViewer(db: Executor, principal: Principal): Promise<CatalogViewer> {
  const supplier = await findSupplier(db);
  if (!supplier || !principal.org) throw new NoAccountError(null);
  if (principal.org.id === supplier.id) {
    const canManage = can(principal.access, "catalog:manage", "");
    const canSeeAccountPrices = can(principal.access, "accounts:read", "");
    if (!canManage && !canSeeAccountPrices) throw new ForbiddenError("Viewing the supplier's catalog needs catalog:manage or accounts:read.", "catalog:manage");
    return { kind: "supplier", supplier, canManage, canSeeAccountPrices };
  }
  if (!holdsAnywhere(principal.access, "orders:create") && !holdsAnywhere(principal.access, "orders:read")) {
    throw new ForbiddenError("Browsing the catalog needs orders:create or orders:read.", "orders:read");
  }
  const terms = await loadAccountTerms(db, principal.org.id);
  if (!terms) throw new NoAccountError(supplier.name);
  return { kind: "customer", supplier, accountOrgId: principal.org.id, terms };
}
