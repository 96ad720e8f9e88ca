import { products } from "@/db/schema";
import { assertSupplierStaff } from "@/lib/accounts/supplier-scope";
import { defineCommand } from "@/lib/core/command";
import { assertSkuFree, describeProduct, replaceListPrices } from "./product-store";
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
