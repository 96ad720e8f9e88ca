import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { branchAddresses, memberships, orders, type OrderShipTo } from "@/db/schema";
import type { AccountTerms } from "@/lib/accounts/account-terms";
import { priceOrderLines } from "@/lib/catalog/price-order-lines";
import type { CommandTx } from "@/lib/core/command-tx";
import { ValidationError } from "@/lib/core/errors";
import { MAX_AMOUNT_MINOR } from "@/lib/orders/schemas";
import type { IntakeLineInput } from "./intake-order-schemas";

// Parts the intake order commands share: pricing (catalog lines from the catalog, as for a buyer; free-
// text lines at the sender's price), the buyer of record, the order number, the ship-to copy.

export type StoredLine = { lineNo: number; productId: string | null; sku: string; description: string; quantity: number; unitPriceMinor: number; totalMinor: number; category: string | null };

export async function priceIntakeLines(tx: CommandTx, orgId: string, currency: string, lines: readonly IntakeLineInput[], loaded?: { terms: AccountTerms | null }): Promise<StoredLine[]> {
  const catalog = lines.flatMap((l, i) => (l.kind === "catalog" ? [{ i, sku: l.sku, quantity: l.quantity }] : []));
  const priced = catalog.length ? await priceOrderLines(tx, { accountOrgId: orgId, currency, lines: catalog.map((l) => ({ sku: l.sku, quantity: l.quantity })) }, loaded) : null;
  const byInput = new Map(catalog.map((c, k) => [c.i, priced!.lines[k]!]));
  const stored = lines.map((l, i): StoredLine => {
    if (l.kind === "free-text") return { lineNo: i + 1, productId: null, sku: l.sku, description: l.description, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, totalMinor: l.quantity * l.unitPriceMinor, category: null };
    const p = byInput.get(i)!;
    return { lineNo: i + 1, productId: p.productId, sku: p.sku, description: p.name, quantity: p.quantity, unitPriceMinor: p.unitPriceMinor, totalMinor: p.totalMinor, category: p.category };
  });
  const total = stored.reduce((sum, l) => sum + l.totalMinor, 0);
  if (!stored.every((l) => Number.isSafeInteger(l.totalMinor)) || total > MAX_AMOUNT_MINOR) throw new ValidationError({ lines: ["make the order total larger than the most an order can carry"] });
  return stored;
}

/**
 * The order's buyer of record: orders name a member, and a channel is not one. It is the account's
 * earliest active member (normally whoever the account was opened for); the audit trail records the
 * channel as the actor, so nobody is made to look as if they had typed the order.
 */
export async function findBuyerOfRecord(tx: CommandTx, orgId: string): Promise<string> {
  const [row] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.status, "active")))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .limit(1);
  if (!row) throw new ValidationError({ buyerId: ["the account has no active member to place orders for; invite one first"] });
  return row.userId;
}

/** The sender's PO number when it is a valid, unused order number of the account; else a generated one. */
export async function chooseOrderNumber(tx: CommandTx, orgId: string, preferred: string): Promise<string> {
  const cleaned = preferred.trim().replace(/[^A-Za-z0-9._/-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  if (cleaned) {
    const [clash] = await tx.select({ id: orders.id }).from(orders).where(and(eq(orders.orgId, orgId), eq(orders.number, cleaned)));
    if (!clash) return cleaned;
  }
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  return `PO-${day}-${randomBytes(4).toString("hex").toUpperCase()}`;
}

/** A copy of the branch's ship-to address (the one planned, else none): orders keep their own copy. */
export async function copyShipTo(tx: CommandTx, orgId: string, branchId: string, addressId: string | null): Promise<OrderShipTo | null> {
  if (!addressId) return null;
  const [a] = await tx
    .select()
    .from(branchAddresses)
    .where(and(eq(branchAddresses.orgId, orgId), eq(branchAddresses.branchId, branchId), eq(branchAddresses.id, addressId), eq(branchAddresses.isShipTo, true)));
  if (!a) throw new ValidationError({ shipToAddressId: ["is not a ship-to address of the order's branch"] });
  return { addressId: a.id, label: a.label, lines: a.lines, city: a.city, region: a.region, postalCode: a.postalCode, country: a.country };
}

export function assertChannelActor(actorType: string): void {
  // These commands exist for the inbox worker: a person orders through draft and submit instead.
  if (actorType !== "channel") throw new ValidationError({ source: ["only an intake channel places orders this way"] });
}

/** A stored line as the order_lines row (the category is for the approval rules only). */
export function storedLineValues(l: StoredLine, orgId: string, orderId: string) {
  return { orgId, orderId, lineNo: l.lineNo, productId: l.productId, sku: l.sku, description: l.description, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, totalMinor: l.totalMinor };
}
