import { sql, type SQL } from "drizzle-orm";
import { orderDailyTotals, orders } from "@/db/schema";
import type { OrderScopeColumns } from "@/lib/orders/order-scope";

/**
 * Where the overview's order figures are summed from. The page reads the daily rollup
 * (`order_daily_totals`, ADR 0019); the same figures straight from `orders` are the peer the
 * bench compares against and the truth the tests compare the rollup with. Both are keyed by the
 * columns the order list's visibility is decided on, so one scope condition serves both.
 */
export interface OrderFigureSource {
  name: "rollup" | "orders";
  table: typeof orderDailyTotals | typeof orders;
  columns: OrderScopeColumns;
  /** The UTC calendar day an order was placed on. */
  day: SQL;
  status: SQL;
  currency: SQL;
  /** Aggregates: how many orders, and their total in minor units. */
  count: SQL;
  total: SQL;
  /** Placed on or after this UTC day (YYYY-MM-DD), as a condition the source's index can use. */
  since(fromDay: string): SQL;
}

export const rollupSource: OrderFigureSource = {
  name: "rollup",
  table: orderDailyTotals,
  columns: orderDailyTotals,
  day: sql`${orderDailyTotals.day}`,
  status: sql`${orderDailyTotals.status}`,
  currency: sql`${orderDailyTotals.currency}`,
  count: sql`sum(${orderDailyTotals.orderCount})`,
  total: sql`sum(${orderDailyTotals.totalMinor})`,
  since: (fromDay) => sql`${orderDailyTotals.day} >= ${fromDay}::date`,
};

export const ordersSource: OrderFigureSource = {
  name: "orders",
  table: orders,
  columns: orders,
  day: sql`(${orders.placedAt} at time zone 'UTC')::date`,
  status: sql`${orders.status}`,
  currency: sql`${orders.currency}`,
  count: sql`count(*)`,
  total: sql`sum(${orders.totalMinor})`,
  since: (fromDay) => sql`${orders.placedAt} >= ${fromDay}::date::timestamp at time zone 'UTC'`,
};
