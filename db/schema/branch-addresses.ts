import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { branches, organizations } from "./organizations";

/**
 * A branch's postal addresses. Ship-to addresses are where its orders can be delivered; at most
 * one address per branch is its default. An order copies the address it ships to, so editing or
 * removing one here never rewrites an order's history.
 */
export const branchAddresses = pgTable(
  "branch_addresses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    branchId: uuid("branch_id").notNull().references(() => branches.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    // Street lines, one to four.
    lines: text("lines").array().notNull(),
    city: text("city").notNull(),
    region: text("region").notNull().default(""),
    postalCode: text("postal_code").notNull().default(""),
    // ISO 3166-1 alpha-2.
    country: text("country").notNull(),
    isShipTo: boolean("is_ship_to").notNull().default(true),
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("branch_addresses_branch_idx").on(t.orgId, t.branchId),
    uniqueIndex("branch_addresses_one_default_uq").on(t.branchId).where(sql`${t.isDefault}`),
    check("branch_addresses_country_iso", sql`${t.country} ~ '^[A-Z]{2}$'`),
    check("branch_addresses_lines", sql`cardinality(${t.lines}) between 1 and 4`),
  ],
);
