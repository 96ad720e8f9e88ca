import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountPrices, productPrices, products } from "@/db/schema";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { ValidationError } from "@/lib/core/errors";
import { usesCurrency } from "@/lib/accounts/account-terms";
import type { CatalogViewer } from "./catalog-viewer";
import { selectProductPage } from "./product-search";
import type { CatalogPage, CatalogProduct, ProductListQuery } from "./schemas";

/**
 * One keyset page of the catalog by name. A customer gets active products only, each at their
 * price in one of their account's currencies: their account's own price when the supplier agreed
 * one, else the list price (never another account's price: the query asks for theirs only, and
 * row-level security shows them no other). The supplier's staff get every product, active or
 * not, with all its list prices.
 */
export async function listCatalog(db: Executor, viewer: CatalogViewer, query: ProductListQuery): Promise<CatalogPage> {
  const currency = pickCurrency(viewer, query.currency);
  const conditions: SQL[] = [eq(products.orgId, viewer.supplier.id)];
  if (viewer.kind === "customer" || query.status === "active") conditions.push(eq(products.active, true));
  else if (query.status === "inactive") conditions.push(eq(products.active, false));
  if (query.category) conditions.push(eq(products.category, query.category));
  if (query.cursor) {
    const { value, id } = decodeCursor(query.cursor, { sort: "name", dir: "asc", field: "cursor" });
    conditions.push(sql`(${products.nameKey}, ${products.id}) > (${String(value)}, ${id}::uuid)`);
  }
  // The page is chosen from products alone, then read and priced: joining prices before the
  // limit would look up a price for every match of a common search term, not just for the page.
  const keys = await selectProductPage(db, conditions, query.q, query.limit + 1);
  const found = keys.length
    ? await db
        .select({ id: products.id, sku: products.sku, name: products.name, description: products.description, category: products.category, unit: products.unit, active: products.active })
        .from(products)
        .where(and(eq(products.orgId, viewer.supplier.id), inArray(products.id, keys.map((k) => k.id))))
    : [];
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = keys.flatMap((k) => {
    const row = byId.get(k.id);
    return row ? [{ ...row, nameKey: k.nameKey }] : [];
  });
  const page = rows.slice(0, query.limit);
  const ids = page.map((r) => r.id);
  const listPrices = await loadListPricesFor(db, ids, viewer.kind === "supplier" ? null : currency);
  const ownPrices = viewer.kind === "customer" && currency ? await loadAccountPricesFor(db, ids, viewer.accountOrgId, currency) : new Map<string, number>();
  const data: CatalogProduct[] = page.map(({ id, sku, name, description, category, unit, active }) => ({
    id,
    sku,
    name,
    description,
    category,
    unit,
    active,
    price: toPrice(currency, ownPrices.get(id) ?? null, currency ? (listPrices.get(id)?.[currency] ?? null) : null),
    ...(viewer.kind === "supplier" ? { listPrices: listPrices.get(id) ?? {} } : {}),
  }));
  // The cursor carries PostgreSQL's own lower-cased name, so it compares exactly as the index sorts.
  const last = page[page.length - 1];
  return { currency, data, nextCursor: rows.length > query.limit && last ? encodeCursor("name", "asc", last.nameKey ?? "", last.id) : null };
}

/** The currency to price in: the customer's choice among their account's, else its base. */
export function pickCurrency(viewer: CatalogViewer, requested: string | undefined): string | null {
  if (viewer.kind === "supplier") return requested ?? null;
  if (!requested) return viewer.terms.baseCurrency;
  if (!usesCurrency(viewer.terms, requested)) {
    throw new ValidationError({ currency: [`${requested} is not a currency your account uses (${viewer.terms.currencies.map((c) => c.currency).join(", ")})`] });
  }
  return requested;
}

export function toPrice(currency: string | null, accountPrice: number | null, listPrice: number | null): CatalogProduct["price"] {
  if (!currency) return null;
  if (accountPrice !== null) return { currency, unitPriceMinor: accountPrice, source: "account" };
  if (listPrice !== null) return { currency, unitPriceMinor: listPrice, source: "list" };
  return null;
}

/** List prices of a page of products: every currency (supplier), or one. */
async function loadListPricesFor(db: Executor, ids: string[], currency: string | null): Promise<Map<string, Record<string, number>>> {
  const out = new Map<string, Record<string, number>>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({ productId: productPrices.productId, currency: productPrices.currency, unitPriceMinor: productPrices.unitPriceMinor })
    .from(productPrices)
    .where(and(inArray(productPrices.productId, ids), currency ? eq(productPrices.currency, currency) : undefined))
    .orderBy(asc(productPrices.currency));
  for (const r of rows) (out.get(r.productId) ?? out.set(r.productId, {}).get(r.productId)!)[r.currency] = r.unitPriceMinor;
  return out;
}

/** The account's own prices for a page of products, in one currency: its own rows only. */
async function loadAccountPricesFor(db: Executor, ids: string[], accountId: string, currency: string): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ productId: accountPrices.productId, unitPriceMinor: accountPrices.unitPriceMinor })
    .from(accountPrices)
    .where(and(eq(accountPrices.accountId, accountId), eq(accountPrices.currency, currency), inArray(accountPrices.productId, ids)));
  return new Map(rows.map((r) => [r.productId, r.unitPriceMinor]));
}

/** The categories in use, for the filter (active products only for customers). */
export async function listCategories(db: Executor, viewer: CatalogViewer): Promise<string[]> {
  const rows = await db
    .selectDistinct({ category: products.category })
    .from(products)
    .where(and(eq(products.orgId, viewer.supplier.id), viewer.kind === "customer" ? eq(products.active, true) : undefined, sql`${products.category} <> ''`))
    .orderBy(asc(products.category))
    .limit(500);
  return rows.map((r) => r.category);
}
