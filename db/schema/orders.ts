import { bigint, check, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { branches, organizations } from "./organizations";
import { users } from "./identity";

export const orderStatus = pgEnum("order_status", ["draft", "submitted", "approved", "rejected", "cancelled", "fulfilled"]);

// Amounts are integers in the currency's minor unit (cents), never floats.
export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    number: text("number").notNull(),
    branchId: uuid("branch_id").notNull().references(() => branches.id, { onDelete: "restrict" }),
    buyerId: uuid("buyer_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    status: orderStatus("status").notNull().default("submitted"),
    currency: text("currency").notNull(),
    subtotalMinor: bigint("subtotal_minor", { mode: "number" }).notNull(),
    taxMinor: bigint("tax_minor", { mode: "number" }).notNull().default(0),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
    // Millisecond precision, so the keyset cursor (a JS Date) round-trips exactly.
    placedAt: timestamp("placed_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    // Optimistic concurrency: every change of a draft or of its approval state bumps it, and a
    // client that sends the version it saw gets 409 when someone changed the order meanwhile.
    version: integer("version").notNull().default(1),
    requestedDeliveryDate: date("requested_delivery_date", { mode: "string" }),
    // A copy of the branch address it ships to: addresses are edited and removed, orders keep theirs.
    shipTo: jsonb("ship_to").$type<OrderShipTo>(),
    note: text("note").notNull().default(""),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    // The total in the account's base currency at submission, the amount rules and limits compare.
    baseTotalMinor: bigint("base_total_minor", { mode: "number" }),
    baseCurrency: text("base_currency"),
  },
  (t) => [
    uniqueIndex("orders_org_number_uq").on(t.orgId, t.number),
    // One index per sort key, each ending in id so keyset pagination is a pure index range.
    index("orders_org_placed_idx").on(t.orgId, t.placedAt, t.id),
    index("orders_org_total_idx").on(t.orgId, t.totalMinor, t.id),
    index("orders_org_status_placed_idx").on(t.orgId, t.status, t.placedAt, t.id),
    index("orders_branch_placed_idx").on(t.branchId, t.placedAt, t.id),
    index("orders_buyer_placed_idx").on(t.buyerId, t.placedAt, t.id),
    // The supplier's order list across every account: its first page is the top of this index.
    index("orders_placed_idx").on(t.placedAt, t.id),
    check("orders_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const orderLines = pgTable(
  "order_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    lineNo: integer("line_no").notNull(),
    sku: text("sku").notNull(),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "number" }).notNull(),
    // The catalog product it was priced from; no foreign key, so products can be deleted.
    productId: uuid("product_id"),
  },
  (t) => [uniqueIndex("order_lines_order_line_uq").on(t.orderId, t.lineNo)],
);

export interface OrderShipTo {
  addressId: string;
  label: string;
  lines: string[];
  city: string;
  region: string;
  postalCode: string;
  country: string;
}
