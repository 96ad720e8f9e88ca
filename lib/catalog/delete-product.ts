import { eq } from "drizzle-orm";
import { products } from "@/db/schema";
import { assertSupplierStaff } from "@/lib/accounts/supplier-scope";
import { defineCommand, notFound } from "@/lib/core/command";
import { describeProduct, findProduct, loadListPrices } from "./product-store";
import { productIdSchema } from "./schemas";

/**
 * Removes a product with its list and account prices (catalog:manage). Orders keep their own
 * copy of each line's SKU, description and price, so no order changes. To stop selling a product
 * but keep it, set it inactive instead.
 */
export const deleteProductCommand = defineCommand({
  name: "catalog.product.deleted",
  description: "The supplier removed a product from its catalog, with its prices (what it was in the metadata).",
  access: { permission: "catalog:manage" },
  input: productIdSchema,
  async run({ tx, principal }, input) {
    const supplier = await assertSupplierStaff(tx, principal, "catalog:manage");
    const product = (await findProduct(tx, supplier.id, input.productId)) ?? notFound("Product");
    const prices = await loadListPrices(tx, product.id);
    await tx.delete(products).where(eq(products.id, product.id));
    return { result: { id: product.id }, target: { type: "product", id: product.id }, metadata: { before: describeProduct(product, prices) } };
  },
});
