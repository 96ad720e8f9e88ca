import { and, eq, sql } from "drizzle-orm";
import { accountPrices, organizations } from "@/db/schema";
import { loadAccountTerms, usesCurrency } from "@/lib/accounts/account-terms";
import { enterSupplierScope } from "@/lib/accounts/supplier-scope";
import { defineCommand, notFound, type CommandContext } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { findProduct } from "./product-store";
import { removeAccountPriceSchema, setAccountPriceSchema } from "./schemas";

/** The product and the account, both the supplier's, for an account-price command. */
async function loadTargets(ctx: CommandContext, input: { productId: string; accountId: string }) {
  const supplier = await enterSupplierScope(ctx, "accounts:manage");
  const product = (await findProduct(ctx.tx, supplier.id, input.productId)) ?? notFound("Product");
  const terms = (await loadAccountTerms(ctx.tx, input.accountId)) ?? notFound("Account");
  const [org] = await ctx.tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, terms.accountOrgId));
  return { supplier, product, terms, accountName: org?.name ?? "" };
}

/**
 * Agrees a price for one account, overriding the list price in that currency (accounts:manage:
 * prices per account are commercial terms, like the credit limit). Only that account sees it.
 */
export const setAccountPriceCommand = defineCommand({
  name: "catalog.account-price.set",
  description: "The supplier set a product's price for one account in one currency (before and after in the metadata).",
  access: { permission: "accounts:manage" },
  input: setAccountPriceSchema,
  async run(ctx, input) {
    const { supplier, product, terms, accountName } = await loadTargets(ctx, input);
    if (!usesCurrency(terms, input.currency)) throw new ValidationError({ currency: [`${accountName} does not use ${input.currency} (it uses ${terms.currencies.map((c) => c.currency).join(", ")})`] });
    const key = and(eq(accountPrices.productId, product.id), eq(accountPrices.accountId, terms.accountOrgId), eq(accountPrices.currency, input.currency));
    const [before] = await ctx.tx.select({ unitPriceMinor: accountPrices.unitPriceMinor }).from(accountPrices).where(key);
    await ctx.tx
      .insert(accountPrices)
      .values({ productId: product.id, supplierId: supplier.id, accountId: terms.accountOrgId, currency: input.currency, unitPriceMinor: input.unitPriceMinor })
      .onConflictDoUpdate({ target: [accountPrices.productId, accountPrices.accountId, accountPrices.currency], set: { unitPriceMinor: input.unitPriceMinor, updatedAt: sql`now()` } });
    return {
      result: { productId: product.id, accountId: terms.accountOrgId, currency: input.currency, unitPriceMinor: input.unitPriceMinor },
      target: { type: "product", id: product.id },
      metadata: { sku: product.sku, account: accountName, accountId: terms.accountOrgId, currency: input.currency, before: before ?? null, after: { unitPriceMinor: input.unitPriceMinor } },
    };
  },
});

/** Drops an account's own price, so the list price applies again. */
export const removeAccountPriceCommand = defineCommand({
  name: "catalog.account-price.removed",
  description: "The supplier removed a product's price for one account in one currency; the list price applies again.",
  access: { permission: "accounts:manage" },
  input: removeAccountPriceSchema,
  async run(ctx, input) {
    const { product, terms, accountName } = await loadTargets(ctx, input);
    const removed = await ctx.tx
      .delete(accountPrices)
      .where(and(eq(accountPrices.productId, product.id), eq(accountPrices.accountId, terms.accountOrgId), eq(accountPrices.currency, input.currency)))
      .returning({ unitPriceMinor: accountPrices.unitPriceMinor });
    if (removed.length === 0) notFound(`A ${input.currency} price for ${accountName} on ${product.sku}`);
    return {
      result: { productId: product.id, accountId: terms.accountOrgId, currency: input.currency },
      target: { type: "product", id: product.id },
      metadata: { sku: product.sku, account: accountName, accountId: terms.accountOrgId, currency: input.currency, before: removed[0] },
    };
  },
});
