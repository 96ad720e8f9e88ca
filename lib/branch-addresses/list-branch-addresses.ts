import { and, asc, desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branchAddresses } from "@/db/schema";
import { can } from "@/lib/access/access";
import { findBranch, type BranchRow } from "@/lib/branches/find-branch";
import type { Principal } from "@/lib/core/context";
import { isUuid } from "@/lib/core/ids";
import type { BranchAddress } from "./schemas";

const columns = {
  id: branchAddresses.id,
  branchId: branchAddresses.branchId,
  label: branchAddresses.label,
  lines: branchAddresses.lines,
  city: branchAddresses.city,
  region: branchAddresses.region,
  postalCode: branchAddresses.postalCode,
  country: branchAddresses.country,
  isShipTo: branchAddresses.isShipTo,
  isDefault: branchAddresses.isDefault,
};

/** Who may read a branch's addresses: whoever may order for it, or manage it. */
export function mayReadAddresses(principal: Principal, branch: Pick<BranchRow, "path">): boolean {
  return can(principal.access, "orders:create", branch.path) || can(principal.access, "branches:manage", branch.path);
}

/**
 * A branch's addresses, the default first, or null when the branch is not this org's or the
 * principal may neither order for it nor manage it (callers answer 404 for both).
 */
export async function listBranchAddresses(db: Executor, principal: Principal, branchId: string): Promise<BranchAddress[] | null> {
  const orgId = principal.org?.id;
  if (!orgId) return null;
  const branch = await findBranch(db, orgId, branchId);
  if (!branch || !mayReadAddresses(principal, branch)) return null;
  return db
    .select(columns)
    .from(branchAddresses)
    .where(and(eq(branchAddresses.orgId, orgId), eq(branchAddresses.branchId, branch.id)))
    .orderBy(desc(branchAddresses.isDefault), asc(branchAddresses.label), asc(branchAddresses.id));
}

/**
 * One address of one branch, under the same rule: the ordering side resolves a ship-to with it
 * (`shipTo` true requires a ship-to address). Null when it is not that branch's, or not visible.
 */
export async function findBranchAddress(db: Executor, principal: Principal, branchId: string, addressId: string, { shipTo = false } = {}): Promise<BranchAddress | null> {
  const orgId = principal.org?.id;
  if (!orgId || !isUuid(addressId)) return null;
  const branch = await findBranch(db, orgId, branchId);
  if (!branch || !mayReadAddresses(principal, branch)) return null;
  const [row] = await db
    .select(columns)
    .from(branchAddresses)
    .where(and(eq(branchAddresses.orgId, orgId), eq(branchAddresses.branchId, branch.id), eq(branchAddresses.id, addressId), shipTo ? eq(branchAddresses.isShipTo, true) : undefined));
  return row ?? null;
}
