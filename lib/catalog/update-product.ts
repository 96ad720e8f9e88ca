import { eq, sql } from "drizzle-orm";
import { products } from "@/db/schema";
import { assertSupplierStaff } from "@/lib/accounts/supplier-scope";
import { defineCommand, notFound } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { replaceListPrices } from "./create-product";
import { assertSkuFree, describeProduct, findProduct, loadListPrices } from "./product-store";
import { updateProductSchema } from "./schemas";

/** Changes a product's fields, active flag and/or its whole list-price set (catalog:manage). */
export const updateProductCommand = defineCommand({
  name: "catalog.product.updated",
  description: "The supplier changed a product: fields, active flag or list prices (before and after in the metadata).",
  access: { permission: "catalog:manage" },
  input: updateProductSchema,
  async run({ tx, principal }, input) {
    const supplier = await assertSupplierStaff(tx, principal, "catalog:manage");
    const product = (await findProduct(tx, supplier.id, input.productId)) ?? notFound("Product");
    const { productId, prices, ...fields } = input;
    if (Object.keys(fields).length === 0 && prices === undefined) throw new ValidationError({ "": ["give at least one field to change"] });
    if (fields.sku !== undefined && fields.sku !== product.sku) await assertSkuFree(tx, supplier.id, fields.sku, product.id);
    const beforePrices = await loadListPrices(tx, product.id);
    const [row] = await tx.update(products).set({ ...fields, updatedAt: sql`now()` }).where(eq(products.id, productId)).returning();
    if (prices) await replaceListPrices(tx, supplier.id, product.id, prices);
    return {
      result: { ...row!, prices: prices ?? beforePrices },
      target: { type: "product", id: product.id },
      metadata: { before: describeProduct(product, beforePrices), after: describeProduct(row!, prices ?? beforePrices) },
    };
  },
});
