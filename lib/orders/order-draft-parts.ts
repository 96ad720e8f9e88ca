import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, orders, type OrderShipTo } from "@/db/schema";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { findBranchAddress, listBranchAddresses } from "@/lib/branch-addresses/list-branch-addresses";
import { priceOrderLines, type PricedOrder } from "@/lib/catalog/price-order-lines";
import type { Principal } from "@/lib/core/context";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/core/errors";
import type { CommandTx } from "@/lib/core/command-tx";

/** Prices lines from the catalog in the chosen currency, else the account's base currency. */
export async function priceDraft(db: Executor, orgId: string, lines: Array<{ sku: string; quantity: number }>, currency: string | undefined): Promise<PricedOrder> {
  const terms = await loadAccountTerms(db, orgId);
  return priceOrderLines(db, { accountOrgId: orgId, currency: currency ?? terms?.baseCurrency ?? "USD", lines });
}

/**
 * The ship-to address copied into the order: the one named (it must be a ship-to address of
 * the order's branch), else the branch's default ship-to address, else none yet (a draft may
 * wait for one; submitting needs it).
 */
export async function resolveShipTo(db: Executor, principal: Principal, branchId: string, addressId: string | null | undefined): Promise<OrderShipTo | null> {
  if (addressId) {
    const address = await findBranchAddress(db, principal, branchId, addressId, { shipTo: true });
    if (!address) throw new ValidationError({ shipToAddressId: ["is not a ship-to address of the order's branch"] });
    return copyAddress(address);
  }
  const all = (await listBranchAddresses(db, principal, branchId)) ?? [];
  const chosen = all.find((a) => a.isShipTo && a.isDefault) ?? all.find((a) => a.isShipTo);
  return chosen ? copyAddress(chosen) : null;
}

function copyAddress(a: { id: string; label: string; lines: string[]; city: string; region: string; postalCode: string; country: string }): OrderShipTo {
  return { addressId: a.id, label: a.label, lines: a.lines, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country };
}

export type LockedOrder = typeof orders.$inferSelect & { branchPath: string };

/**
 * Loads an order of the principal's org and locks its row until the transaction ends, so two
 * decisions on one order take turns: the second sees the first's outcome (and its version).
 * A client that sends the version it saw gets 409 when the order changed since.
 */
export async function lockOrder(tx: CommandTx, orgId: string, orderId: string, expectedVersion?: number): Promise<LockedOrder> {
  const [row] = await tx
    .select({ order: orders, branchPath: branches.path })
    .from(orders)
    .innerJoin(branches, eq(branches.id, orders.branchId))
    .where(and(eq(orders.orgId, orgId), eq(orders.id, orderId)))
    .for("update", { of: orders });
  if (!row) throw new NotFoundError("Order");
  if (expectedVersion !== undefined && expectedVersion !== row.order.version) {
    throw new ConflictError(`The order changed since you loaded it (now version ${row.order.version}); reload it and try again.`, "version");
  }
  return { ...row.order, branchPath: row.branchPath };
}

/** The next version and the time of the change, for every update of an order. */
export function bumpVersion() {
  return { version: sql`${orders.version} + 1`, updatedAt: sql`now()` };
}
