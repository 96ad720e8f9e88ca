import { bigint, check, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { branches, organizations } from "./organizations";
import { users } from "./identity";
import { orders } from "./orders";

export const invoiceStatus = pgEnum("invoice_status", ["issued", "approved", "disputed"]);

/**
 * The supplier's invoice for one placed order of an account. The row belongs to the account's
 * org (its members read and decide it under their own row-level security); the supplier writes it
 * only inside the supplier scope. Amounts are copied from the order when it is issued, never
 * taken from the client. One invoice per order.
 */
export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    // The order's branch, copied so scope filters need no join through orders.
    branchId: uuid("branch_id").notNull().references(() => branches.id, { onDelete: "restrict" }),
    number: text("number").notNull(),
    status: invoiceStatus("status").notNull().default("issued"),
    currency: text("currency").notNull(),
    subtotalMinor: bigint("subtotal_minor", { mode: "number" }).notNull(),
    taxMinor: bigint("tax_minor", { mode: "number" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
    // The total in the account's base currency when issued: what approval limits compare.
    baseTotalMinor: bigint("base_total_minor", { mode: "number" }).notNull(),
    baseCurrency: text("base_currency").notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    issuedBy: uuid("issued_by").references(() => users.id, { onDelete: "set null" }),
    // Millisecond precision, so the list's keyset cursor round-trips.
    issuedAt: timestamp("issued_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    comment: text("comment").notNull().default(""),
    version: integer("version").notNull().default(1),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invoices_order_uq").on(t.orderId),
    uniqueIndex("invoices_org_number_uq").on(t.orgId, t.number),
    index("invoices_org_issued_idx").on(t.orgId, t.issuedAt, t.id),
    index("invoices_branch_issued_idx").on(t.branchId, t.issuedAt, t.id),
    check("invoices_amounts_non_negative", sql`${t.totalMinor} >= 0 AND ${t.subtotalMinor} >= 0 AND ${t.taxMinor} >= 0`),
  ],
);
