import { notFound } from "next/navigation";
import type { Tx } from "@/db/client";
import { isSupplierOrg } from "@/lib/accounts/find-supplier";
import { readAsSupplier, type SupplierPermission } from "@/lib/accounts/supplier-scope";
import type { OrgRef, Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { loadRequestMeta } from "../../../load-viewer";

/**
 * A supplier page's read: 404 in a customer's org (the page does not exist there), the missing
 * permission for supplier staff without it, else `fn` in the supplier scope.
 */
export async function readSupplierPage<T>(principal: Principal, permission: SupplierPermission, what: string, fn: (tx: Tx, supplier: OrgRef) => Promise<T>): Promise<{ ok: true; data: T } | { ok: false; permission: SupplierPermission }> {
  const orgId = principal.org?.id;
  if (!orgId || !(await readAs(principal, (tx) => isSupplierOrg(tx, orgId)))) notFound();
  try {
    return { ok: true, data: await readAsSupplier(principal, permission, fn, undefined, { ...(await loadRequestMeta()), what }) };
  } catch (error) {
    if (error instanceof ForbiddenError) return { ok: false, permission };
    throw error;
  }
}
