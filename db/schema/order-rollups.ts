import { bigint, date, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { orderStatus } from "./orders";
import { organizations } from "./organizations";

/**
 * Orders per account, month (UTC), currency and status: count and total. Kept by a trigger on
 * `orders` (migration order_rollup), in the transaction of whichever command wrote the order, so
 * the supplier's Accounts page reads a few hundred rows instead of aggregating 10M orders.
 */
export const orderMonthlyTotals = pgTable(
  "order_monthly_totals",
  {
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    month: date("month", { mode: "string" }).notNull(),
    currency: text("currency").notNull(),
    status: orderStatus("status").notNull(),
    orderCount: bigint("order_count", { mode: "number" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.month, t.currency, t.status] })],
);
