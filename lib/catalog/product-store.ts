import { and, eq, ne } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { productPrices, products } from "@/db/schema";
import { ConflictError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import { skuEquals } from "./product-search";

export type ProductRow = typeof products.$inferSelect;

/** A product of this supplier by id; null for another org's id or a malformed one. */
export async function findProduct(db: Executor, supplierId: string, productId: string): Promise<ProductRow | null> {
  if (!isUuid(productId)) return null;
  const [row] = await db.select().from(products).where(and(eq(products.orgId, supplierId), eq(products.id, productId)));
  return row ?? null;
}

/** SKUs are unique per supplier whatever their case ("hx-2210" is "HX-2210"). */
export async function assertSkuFree(db: Executor, supplierId: string, sku: string, exceptId?: string): Promise<void> {
  const [clash] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.orgId, supplierId), skuEquals(sku), exceptId ? ne(products.id, exceptId) : undefined));
  if (clash) throw new ConflictError(`Another product already has the SKU "${sku}".`, "sku");
}

/** The product's list prices as `{ USD: 1899 }`. */
export async function loadListPrices(db: Executor, productId: string): Promise<Record<string, number>> {
  const rows = await db.select({ currency: productPrices.currency, unitPriceMinor: productPrices.unitPriceMinor }).from(productPrices).where(eq(productPrices.productId, productId));
  return Object.fromEntries(rows.map((r) => [r.currency, r.unitPriceMinor]));
}

/** The fields an audit event records about a product. */
export function describeProduct(row: Pick<ProductRow, "sku" | "name" | "description" | "category" | "unit" | "active">, prices: Record<string, number>) {
  return { sku: row.sku, name: row.name, description: row.description, category: row.category, unit: row.unit, active: row.active, prices };
}
