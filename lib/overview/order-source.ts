import { sql, type SQL } from "drizzle-orm";
import { orderWeeklyTotals, orders } from "@/db/schema";
import type { OrderScopeColumns } from "@/lib/orders/order-scope";

/**
 * Where the overview's order figures are summed from. The page reads the weekly rollup
 * (`order_weekly_totals`, ADR 0019); the same figures straight from `orders` are the peer the
 * bench compares against and the truth the tests compare the rollup with. Both are keyed by the
 * columns the order list's visibility is decided on, so one scope condition serves both.
 */
export interface OrderFigureSource {
  name: "rollup" | "orders";
  table: typeof orderWeeklyTotals | typeof orders;
  columns: OrderScopeColumns;
  /** The week (its Monday, UTC) an order was placed in. */
  week: SQL;
  status: SQL;
  currency: SQL;
  /** Aggregates: how many orders, and their total in minor units. */
  count: SQL;
  total: SQL;
  /** Placed in or after the week starting on this Monday (YYYY-MM-DD), as a condition the source's index can use. */
  since(fromMonday: string): SQL;
}

export const rollupSource: OrderFigureSource = {
  name: "rollup",
  table: orderWeeklyTotals,
  columns: orderWeeklyTotals,
  week: sql`${orderWeeklyTotals.week}`,
  status: sql`${orderWeeklyTotals.status}`,
  currency: sql`${orderWeeklyTotals.currency}`,
  count: sql`sum(${orderWeeklyTotals.orderCount})`,
  total: sql`sum(${orderWeeklyTotals.totalMinor})`,
  since: (fromMonday) => sql`${orderWeeklyTotals.week} >= ${fromMonday}::date`,
};

export const ordersSource: OrderFigureSource = {
  name: "orders",
  table: orders,
  columns: orders,
  week: sql`date_trunc('week', ${orders.placedAt} at time zone 'UTC')::date`,
  status: sql`${orders.status}`,
  currency: sql`${orders.currency}`,
  count: sql`count(*)`,
  total: sql`sum(${orders.totalMinor})`,
  since: (fromMonday) => sql`${orders.placedAt} >= ${fromMonday}::date::timestamp at time zone 'UTC'`,
};
