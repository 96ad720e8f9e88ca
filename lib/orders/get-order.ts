import { and, asc, eq } from "drizzle-orm";
import { isUuid } from "@/lib/core/ids";
import type { Executor } from "@/db/client";
import { branches, orderLines, orders, users } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { listOrderApprovals } from "@/lib/approvals/list-order-approvals";
import { visibleOrdersCondition } from "./order-scope";
import type { OrderDetail } from "./schemas";

/** One order with its lines, or null when it does not exist or the principal may not see it. */
export async function getOrder(db: Executor, principal: Principal, orderId: string): Promise<OrderDetail | null> {
  if (!isUuid(orderId)) return null;
  const [row] = await db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      branchId: orders.branchId,
      branchName: branches.name,
      buyerId: orders.buyerId,
      buyerName: users.name,
      buyerEmail: users.email,
      currency: orders.currency,
      subtotalMinor: orders.subtotalMinor,
      taxMinor: orders.taxMinor,
      totalMinor: orders.totalMinor,
      placedAt: orders.placedAt,
      createdAt: orders.createdAt,
      updatedAt: orders.updatedAt,
      version: orders.version,
      requestedDeliveryDate: orders.requestedDeliveryDate,
      shipTo: orders.shipTo,
      note: orders.note,
      baseTotalMinor: orders.baseTotalMinor,
      baseCurrency: orders.baseCurrency,
    })
    .from(orders)
    .innerJoin(branches, eq(branches.id, orders.branchId))
    .innerJoin(users, eq(users.id, orders.buyerId))
    .where(and(eq(orders.id, orderId), visibleOrdersCondition(principal)));
  if (!row) return null;
  const lines = await db
    .select({ lineNo: orderLines.lineNo, sku: orderLines.sku, description: orderLines.description, quantity: orderLines.quantity, unitPriceMinor: orderLines.unitPriceMinor, totalMinor: orderLines.totalMinor })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, row.id), eq(orderLines.orgId, principal.org!.id)))
    .orderBy(asc(orderLines.lineNo));
  const approvals = await listOrderApprovals(db, principal.org!.id, row.id);
  return { ...row, approvals, placedAt: row.placedAt.toISOString(), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString(), lines };
}
