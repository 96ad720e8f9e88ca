import { count, sql, sum } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { orders } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { visibleOrdersCondition } from "./order-scope";
import type { OrderStatus } from "./schemas";

export interface OrderStatusCount {
  status: OrderStatus;
  count: number;
}

/** Visible orders per status, for the overview. Scoped exactly like the order list. */
export async function countOrdersByStatus(db: Executor, principal: Principal): Promise<OrderStatusCount[]> {
  const rows = await db
    .select({ status: orders.status, count: count() })
    .from(orders)
    .where(visibleOrdersCondition(principal))
    .groupBy(orders.status);
  return rows;
}

/** Visible order value per currency over the last 30 days. */
export async function sumRecentOrderValue(db: Executor, principal: Principal): Promise<Array<{ currency: string; totalMinor: number }>> {
  const rows = await db
    .select({ currency: orders.currency, totalMinor: sum(orders.totalMinor).mapWith(Number) })
    .from(orders)
    .where(sql`${visibleOrdersCondition(principal)} and ${orders.placedAt} > now() - interval '30 days'`)
    .groupBy(orders.currency);
  return rows;
}
