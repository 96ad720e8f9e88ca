import type { Executor } from "@/db/client";
import { can, holdsAnywhere } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";
import { findSupplier } from "./find-supplier";

export interface OrgSections {
  isSupplier: boolean;
  showCatalog: boolean;
  showAccounts: boolean;
  showAccountOrders: boolean;
}

/**
 * Which supplier and catalog sections the org shell shows this member: only those they can use,
 * by the same rules the pages and commands apply (each page checks again).
 */
export async function loadOrgSections(db: Executor, principal: Principal): Promise<OrgSections> {
  const supplier = await findSupplier(db);
  const isSupplier = Boolean(supplier && principal.org && supplier.id === principal.org.id);
  if (isSupplier) {
    const accountsRead = can(principal.access, "accounts:read", "");
    return { isSupplier, showAccounts: accountsRead, showAccountOrders: can(principal.access, "orders:read", ""), showCatalog: accountsRead || can(principal.access, "catalog:manage", "") };
  }
  const mayOrder = holdsAnywhere(principal.access, "orders:create") || holdsAnywhere(principal.access, "orders:read");
  return { isSupplier: false, showAccounts: false, showAccountOrders: false, showCatalog: Boolean(supplier) && mayOrder };
}
