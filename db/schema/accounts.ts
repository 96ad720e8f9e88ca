import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/**
 * A customer organization's standing with the supplier: tier and credit limit. Supplier-internal:
 * row-level security shows it only to the supplier's staff, inside the supplier scope
 * (docs/adr/0013-supplier-and-accounts.md). Keyed by the customer org's id, so "account id" and
 * "customer org id" are the same value.
 */
export const accounts = pgTable(
  "accounts",
  {
    orgId: uuid("org_id").primaryKey().references(() => organizations.id, { onDelete: "cascade" }),
    supplierId: uuid("supplier_id").notNull().references(() => organizations.id, { onDelete: "restrict" }),
    tier: text("tier").notNull().default("Standard"),
    // In the account's base currency (account_currencies.is_base); null means no limit is set.
    creditLimitMinor: bigint("credit_limit_minor", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("accounts_supplier_idx").on(t.supplierId), check("accounts_credit_limit_positive", sql`${t.creditLimitMinor} is null or ${t.creditLimitMinor} >= 0`)],
);

/**
 * The currencies an account orders in, each with its rate to the account's base currency (one
 * unit of `currency` is `rate_to_base` units of the base), for converting order totals in
 * approval rules. The customer reads its own rows; only the supplier writes them.
 */
export const accountCurrencies = pgTable(
  "account_currencies",
  {
    orgId: uuid("org_id").notNull().references(() => accounts.orgId, { onDelete: "cascade" }),
    currency: text("currency").notNull(),
    rateToBase: numeric("rate_to_base", { precision: 20, scale: 10 }).notNull(),
    isBase: boolean("is_base").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.currency] }),
    uniqueIndex("account_currencies_one_base_uq").on(t.orgId).where(sql`${t.isBase}`),
    check("account_currencies_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("account_currencies_rate_positive", sql`${t.rateToBase} > 0`),
    check("account_currencies_base_is_one", sql`not ${t.isBase} or ${t.rateToBase} = 1`),
  ],
);
