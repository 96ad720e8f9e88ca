import { and, asc, desc, eq, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, orderLines, orders, organizations, users } from "@/db/schema";
import type { OrgRef } from "@/lib/core/context";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { ValidationError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import type { SupplierOrderListQuery, SupplierOrderSummary } from "./schemas";

export interface SupplierOrderPage {
  data: SupplierOrderSummary[];
  nextCursor: string | null;
  prevCursor: string | null;
}

/**
 * The order list across every account, newest first (or oldest), optionally one account and
 * one status. Run it inside readAsSupplier (orders:read): only the supplier scope shows other
 * orgs' orders. The page's ids come from `orders` alone, along an index that ends in id: across
 * accounts `orders_placed_idx (placed_at, id)`, for one account `(org_id, placed_at, id)` or
 * `(org_id, status, placed_at, id)`; so the first page reads about `limit` index entries at 10M
 * orders, and a deep page costs what the first does. Names are joined for those rows only.
 */
export async function listSupplierOrders(db: Executor, supplier: OrgRef, query: SupplierOrderListQuery): Promise<SupplierOrderPage> {
  const backwards = Boolean(query.before);
  const ascending = (query.dir === "asc") !== backwards;
  // Account orders only: the supplier's own organization places none.
  const conditions: SQL[] = [ne(orders.orgId, supplier.id)];
  if (query.account) conditions.push(eq(orders.orgId, query.account));
  if (query.status) conditions.push(eq(orders.status, query.status));
  const cursorText = query.before ?? query.cursor;
  if (cursorText) {
    const field = query.before ? "before" : "cursor";
    const { value, id } = decodeCursor(cursorText, { sort: "placed", dir: query.dir, field });
    const at = new Date(String(value));
    if (typeof value !== "string" || Number.isNaN(at.getTime())) throw new ValidationError({ [field]: ["is not a cursor this server issued"] });
    conditions.push(sql`(${orders.placedAt}, ${orders.id}) ${sql.raw(ascending ? ">" : "<")} (${at.toISOString()}::timestamptz, ${id}::uuid)`);
  }
  const order = ascending ? [asc(orders.placedAt), asc(orders.id)] : [desc(orders.placedAt), desc(orders.id)];
  const ids = (await db.select({ id: orders.id }).from(orders).where(and(...conditions)).orderBy(...order).limit(query.limit + 1)).map((r) => r.id);
  const rows = ids.length
    ? await db
        .select({
          id: orders.id,
          number: orders.number,
          status: orders.status,
          accountId: orders.orgId,
          accountName: organizations.name,
          branchName: branches.name,
          buyerName: users.name,
          currency: orders.currency,
          totalMinor: orders.totalMinor,
          placedAt: orders.placedAt,
        })
        .from(orders)
        .innerJoin(organizations, eq(organizations.id, orders.orgId))
        .innerJoin(branches, eq(branches.id, orders.branchId))
        .innerJoin(users, eq(users.id, orders.buyerId))
        .where(inArray(orders.id, ids))
        .orderBy(...order)
    : [];
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();
  const data = page.map((r) => ({ ...r, placedAt: r.placedAt.toISOString() }));
  const first = data[0];
  const last = data[data.length - 1];
  const moreAfter = backwards ? true : hasMore;
  const moreBefore = backwards ? hasMore : Boolean(query.cursor);
  return {
    data,
    nextCursor: moreAfter && last ? encodeCursor("placed", query.dir, last.placedAt, last.id) : null,
    prevCursor: moreBefore && first ? encodeCursor("placed", query.dir, first.placedAt, first.id) : null,
  };
}

export interface SupplierOrderDetail extends SupplierOrderSummary {
  subtotalMinor: number;
  taxMinor: number;
  lines: Array<{ lineNo: number; sku: string; description: string; quantity: number; unitPriceMinor: number; totalMinor: number }>;
}

/** One account's order with its lines, for the supplier (readAsSupplier, orders:read); null when none. */
export async function getSupplierOrder(db: Executor, supplier: OrgRef, orderId: string): Promise<SupplierOrderDetail | null> {
  if (!isUuid(orderId)) return null;
  const [row] = await db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      accountId: orders.orgId,
      accountName: organizations.name,
      branchName: branches.name,
      buyerName: users.name,
      currency: orders.currency,
      subtotalMinor: orders.subtotalMinor,
      taxMinor: orders.taxMinor,
      totalMinor: orders.totalMinor,
      placedAt: orders.placedAt,
    })
    .from(orders)
    .innerJoin(organizations, eq(organizations.id, orders.orgId))
    .innerJoin(branches, eq(branches.id, orders.branchId))
    .innerJoin(users, eq(users.id, orders.buyerId))
    .where(and(eq(orders.id, orderId), ne(orders.orgId, supplier.id)));
  if (!row) return null;
  const lines = await db
    .select({ lineNo: orderLines.lineNo, sku: orderLines.sku, description: orderLines.description, quantity: orderLines.quantity, unitPriceMinor: orderLines.unitPriceMinor, totalMinor: orderLines.totalMinor })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, row.id), eq(orderLines.orgId, row.accountId)))
    .orderBy(asc(orderLines.lineNo));
  return { ...row, placedAt: row.placedAt.toISOString(), lines };
}
