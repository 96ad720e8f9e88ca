import { sql, type SQL } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { users } from "./identity";
import { organizations } from "./organizations";

/**
 * The supplier's products. `org_id` is the supplier. SKUs are unique per supplier regardless of
 * case. The lower-cased keys are stored columns, not index expressions: under row-level
 * security PostgreSQL uses an index only for leakproof operators, and `lower()` is not one, so
 * `sku_key = $1` finds a SKU through its index where `lower(sku) = $1` would read the whole
 * table. `search_text` (sku and name) carries a trigram index for substring search, which runs
 * in countersign_search_products() for the same reason (LIKE is not leakproof either); see
 * lib/catalog/product-search.ts and docs/adr/0013-supplier-and-accounts.md.
 */
export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    category: text("category").notNull().default(""),
    unit: text("unit").notNull().default("each"),
    active: boolean("active").notNull().default(true),
    skuKey: text("sku_key").generatedAlwaysAs((): SQL => sql`lower(${products.sku})`),
    nameKey: text("name_key").generatedAlwaysAs((): SQL => sql`lower(${products.name})`),
    searchText: text("search_text").generatedAlwaysAs((): SQL => sql`lower(${products.sku} || ' ' || ${products.name})`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("products_org_sku_uq").on(t.orgId, t.skuKey),
    // Browse order (name, then id for keyset pages), whole catalog or one category.
    index("products_org_name_idx").on(t.orgId, t.nameKey, t.id),
    index("products_org_category_name_idx").on(t.orgId, t.category, t.nameKey, t.id),
    // Searches of one or two characters are prefix matches, which trigrams cannot serve.
    index("products_org_sku_prefix_idx").using("btree", t.orgId, t.skuKey.op("text_pattern_ops")),
    index("products_org_name_prefix_idx").using("btree", t.orgId, t.nameKey.op("text_pattern_ops")),
    index("products_search_trgm_idx").using("gin", t.searchText.op("gin_trgm_ops")),
  ],
);

/** List prices: one per product and currency, in minor units. */
export const productPrices = pgTable(
  "product_prices",
  {
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    currency: text("currency").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.currency] }),
    check("product_prices_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("product_prices_not_negative", sql`${t.unitPriceMinor} >= 0`),
  ],
);

/**
 * A price for one account that overrides the list price in that currency. The customer sees only
 * its own rows; nobody else's, ever (row-level security, migration supplier_scope).
 */
export const accountPrices = pgTable(
  "account_prices",
  {
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
    supplierId: uuid("supplier_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => accounts.orgId, { onDelete: "cascade" }),
    currency: text("currency").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.accountId, t.currency] }),
    index("account_prices_account_idx").on(t.accountId, t.productId),
    check("account_prices_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("account_prices_not_negative", sql`${t.unitPriceMinor} >= 0`),
  ],
);

/**
 * A CSV file uploaded for import: parsed and checked row by row when uploaded (the preview),
 * then applied in batches. The counters drive the progress bar.
 */
export const catalogImports = pgTable("catalog_imports", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  fileName: text("file_name").notNull(),
  contentSha256: text("content_sha256").notNull(),
  // The price columns the file has, as currencies ("USD"): an empty cell there removes that price.
  currencies: text("currencies").array().notNull().default(sql`'{}'::text[]`),
  // Optional columns the file has; a column it lacks leaves that field of existing products alone.
  columns: text("columns").array().notNull().default(sql`'{}'::text[]`),
  status: text("status").$type<"ready" | "applying" | "applied">().notNull().default("ready"),
  totalRows: integer("total_rows").notNull().default(0),
  errorRows: integer("error_rows").notNull().default(0),
  appliedRows: integer("applied_rows").notNull().default(0),
  createdCount: integer("created_count").notNull().default(0),
  updatedCount: integer("updated_count").notNull().default(0),
  unchangedCount: integer("unchanged_count").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
}, (t) => [index("catalog_imports_org_idx").on(t.orgId, t.createdAt)]);

/** One data row of an import: its checked values, or its errors (column and reason). */
export const catalogImportRows = pgTable(
  "catalog_import_rows",
  {
    importId: uuid("import_id").notNull().references(() => catalogImports.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    // The row's number as a spreadsheet shows it: the header is row 1.
    rowNo: integer("row_no").notNull(),
    sku: text("sku"),
    data: jsonb("data").$type<Record<string, unknown>>(),
    errors: jsonb("errors").$type<Array<{ column: string; message: string }>>(),
    outcome: text("outcome").$type<"created" | "updated" | "unchanged">(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNo] })],
);
