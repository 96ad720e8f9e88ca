import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountPrices, organizations, productPrices } from "@/db/schema";
import type { CatalogViewer } from "./catalog-viewer";
import { pickCurrency, toPrice } from "./list-products";
import { findProduct, loadListPrices } from "./product-store";
import type { ProductDetail } from "./schemas";

/**
 * One product as the viewer may see it; null when it is not theirs to see (another supplier's,
 * or inactive for a customer). The supplier's account prices need the supplier scope
 * (readAsSupplier), where row-level security shows them; elsewhere the list is simply empty.
 */
export async function getCatalogProduct(db: Executor, viewer: CatalogViewer, productId: string, requestedCurrency?: string): Promise<ProductDetail | null> {
  const product = await findProduct(db, viewer.supplier.id, productId);
  if (!product || (viewer.kind === "customer" && !product.active)) return null;
  const currency = pickCurrency(viewer, requestedCurrency);
  const base = { id: product.id, sku: product.sku, name: product.name, description: product.description, category: product.category, unit: product.unit, active: product.active };
  if (viewer.kind === "customer") {
    const [list] = await db.select({ v: productPrices.unitPriceMinor }).from(productPrices).where(and(eq(productPrices.productId, product.id), eq(productPrices.currency, currency!)));
    const [own] = await db
      .select({ v: accountPrices.unitPriceMinor })
      .from(accountPrices)
      .where(and(eq(accountPrices.productId, product.id), eq(accountPrices.accountId, viewer.accountOrgId), eq(accountPrices.currency, currency!)));
    return { ...base, price: toPrice(currency, own?.v ?? null, list?.v ?? null) };
  }
  const listPrices = await loadListPrices(db, product.id);
  const detail: ProductDetail = { ...base, price: toPrice(currency, null, currency ? (listPrices[currency] ?? null) : null), listPrices };
  if (viewer.canSeeAccountPrices) {
    detail.accountPrices = await db
      .select({ accountId: accountPrices.accountId, accountName: organizations.name, currency: accountPrices.currency, unitPriceMinor: accountPrices.unitPriceMinor })
      .from(accountPrices)
      .innerJoin(organizations, eq(organizations.id, accountPrices.accountId))
      .where(and(eq(accountPrices.supplierId, viewer.supplier.id), eq(accountPrices.productId, product.id)))
      .orderBy(asc(organizations.name), asc(accountPrices.currency));
  }
  return detail;
}
