import { bigint, date, index, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
import { orderStatus } from "./orders";
import { organizations } from "./organizations";

/**
 * Orders per account, month (UTC), currency and status: count and total. Kept by a trigger on
 * `orders` (migration order_rollup), in the transaction of whichever command wrote the order, so
 * the supplier's Accounts page reads a few hundred rows instead of aggregating 10M orders.
 *
 * `slot` stripes each bucket over 16 rows, chosen from the order's id (migration
 * stripe_order_rollups): every submission in an account moves one order between the same two
 * buckets, and one row per bucket made them queue on its row lock until commit. An order always
 * lands in the same slot, so a slot's count never goes below zero; readers sum the slots.
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
    slot: smallint("slot").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.month, t.currency, t.status, t.slot] })],
);

/**
 * Orders per UTC week (starting Monday), branch, buyer, status and currency: count and total,
 * for the overview. Kept by a trigger on `orders` (migration order_weekly_totals) in the
 * transaction of whichever command wrote the order. Keyed by branch and buyer, so the order
 * list's visibility applies unchanged: a branch subtree is `branch_id in (…)`, read-own is
 * `buyer_id = me`; and since it names the branch by id, not by path, moving a branch needs no
 * rewrite. A week, not a day: with the buyer in the key a day barely folds anything (ADR 0019).
 * Striped by `slot` like the monthly rollup: an intake channel files every order of an account
 * under one buyer of record, so without it those orders queued on one row.
 */
export const orderWeeklyTotals = pgTable(
  "order_weekly_totals",
  {
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    week: date("week", { mode: "string" }).notNull(),
    branchId: uuid("branch_id").notNull(),
    buyerId: uuid("buyer_id").notNull(),
    status: orderStatus("status").notNull(),
    currency: text("currency").notNull(),
    orderCount: bigint("order_count", { mode: "number" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
    slot: smallint("slot").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.week, t.branchId, t.buyerId, t.status, t.currency, t.slot] }),
    // A scope of branches reads each branch's recent weeks; read-own reads the buyer's.
    index("order_weekly_totals_branch_week_idx").on(t.branchId, t.week),
    index("order_weekly_totals_buyer_week_idx").on(t.buyerId, t.week),
  ],
);
