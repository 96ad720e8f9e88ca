import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq } from "drizzle-orm";
import { productPrices, products } from "@/db/schema";
import { assertSupplierStaff } from "@/lib/accounts/supplier-scope";
import { defineCommand } from "@/lib/core/command";
import { assertSkuFree, describeProduct } from "./product-store";
import { createProductSchema } from "./schemas";

/** Adds a product with its list prices to the supplier's catalog (catalog:manage). */
export const createProductCommand = defineCommand({
  name: "catalog.product.created",
  description: "The supplier added a product to its catalog (SKU, name, category, unit, active flag and list prices in the metadata).",
  access: { permission: "catalog:manage" },
  input: createProductSchema,
  async run({ tx, principal }, input) {
    const supplier = await assertSupplierStaff(tx, principal, "catalog:manage");
    await assertSkuFree(tx, supplier.id, input.sku);
    const { prices, ...fields } = input;
    const [row] = await tx.insert(products).values({ ...fields, orgId: supplier.id }).returning();
    await replaceListPrices(tx, supplier.id, row!.id, prices);
    return { result: { ...row!, prices }, target: { type: "product", id: row!.id }, metadata: { after: describeProduct(row!, prices) } };
  },
});

/** Replaces every list price of a product, inside the calling command's transaction. */
export async function replaceListPrices(tx: CommandTx, supplierId: string, productId: string, prices: Record<string, number>): Promise<void> {
  await tx.delete(productPrices).where(and(eq(productPrices.orgId, supplierId), eq(productPrices.productId, productId)));
  const entries = Object.entries(prices);
  if (entries.length) await tx.insert(productPrices).values(entries.map(([currency, unitPriceMinor]) => ({ productId, orgId: supplierId, currency, unitPriceMinor })));
}
