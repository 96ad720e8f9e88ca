import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountPrices, productPrices, products } from "@/db/schema";
import { loadAccountTerms, type AccountTerms } from "@/lib/accounts/account-terms";
import { findSupplier } from "@/lib/accounts/find-supplier";
import { MAX_AMOUNT_MINOR } from "@/lib/accounts/money";
import { ValidationError, type FieldErrors } from "@/lib/core/errors";
import { skuIn } from "./product-search";
import { orderLineRequestSchema } from "./schemas";

export interface PricedLine {
  lineNo: number;
  productId: string;
  /** The catalog's own spelling of the SKU, whatever case the buyer typed. */
  sku: string;
  name: string;
  unit: string;
  /** The product's catalog category (approval rules can match on it); null when it has none. */
  category: string | null;
  quantity: number;
  unitPriceMinor: number;
  totalMinor: number;
  priceSource: "account" | "list";
}

export interface PricedOrder {
  accountOrgId: string;
  currency: string;
  lines: PricedLine[];
  subtotalMinor: number;
}

export interface PriceOrderLinesInput {
  accountOrgId: string;
  currency: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/**
 * Prices an order's lines from the catalog, on the server: a client's price or total is never
 * used. Each line gets the account's own price in that currency, else the list price. Every
 * problem is collected and thrown as one ValidationError naming `currency`, `lines`,
 * `lines.<i>.sku` or `lines.<i>.quantity` with the reason: unknown SKU, inactive product, no
 * price in that currency, a currency the account does not use, a bad quantity, a total too large.
 *
 * Runs in the buyer's own transaction (row-level security shows their account's terms and
 * prices, and the catalog) or as the operator; it writes nothing.
 */
export async function priceOrderLines(db: Executor, input: PriceOrderLinesInput, loaded?: { terms: AccountTerms | null }): Promise<PricedOrder> {
  // Independent reads, sent together: one round trip (postgres.js pipelines a transaction's queries).
  const [supplier, terms] = await Promise.all([findSupplier(db), loaded ? loaded.terms : loadAccountTerms(db, input.accountOrgId)]);
  if (!supplier) throw new ValidationError({ lines: ["there is no catalog yet: this installation has no supplier"] });
  if (!terms) throw new ValidationError({ currency: [`this organization has no account with ${supplier.name} yet, so it cannot order from the catalog`] });
  if (!terms.currencies.some((c) => c.currency === input.currency)) {
    throw new ValidationError({ currency: [`${String(input.currency).slice(0, 8)} is not a currency this account uses (${terms.currencies.map((c) => c.currency).join(", ")})`] });
  }
  const errors: FieldErrors = {};
  const add = (field: string, reason: string) => (errors[field] ??= []).push(reason);
  if (!Array.isArray(input.lines) || input.lines.length === 0) throw new ValidationError({ lines: ["needs at least one line"] });
  if (input.lines.length > 500) throw new ValidationError({ lines: ["may have at most 500 lines"] });

  const checked = input.lines.map((line, i) => {
    const parsed = orderLineRequestSchema.safeParse(line);
    if (!parsed.success) for (const issue of parsed.error.issues) add(`lines.${i}.${issue.path.map(String).join(".") || "sku"}`, issue.message);
    return parsed.success ? parsed.data : null;
  });
  const skus = [...new Set(checked.filter((l) => l !== null).map((l) => l.sku.toLowerCase()))];
  const found = skus.length
    ? await db
        .select({
          id: products.id,
          sku: products.sku,
          name: products.name,
          unit: products.unit,
          category: products.category,
          active: products.active,
          listPrice: productPrices.unitPriceMinor,
          accountPrice: accountPrices.unitPriceMinor,
        })
        .from(products)
        .leftJoin(productPrices, and(eq(productPrices.productId, products.id), eq(productPrices.currency, input.currency)))
        .leftJoin(accountPrices, and(eq(accountPrices.productId, products.id), eq(accountPrices.accountId, terms.accountOrgId), eq(accountPrices.currency, input.currency)))
        .where(and(eq(products.orgId, supplier.id), skuIn(skus)))
    : [];
  const bySku = new Map(found.map((p) => [p.sku.toLowerCase(), p]));

  const lines: PricedLine[] = [];
  checked.forEach((line, i) => {
    if (!line) return;
    const product = bySku.get(line.sku.toLowerCase());
    if (!product) return add(`lines.${i}.sku`, `no product in the catalog has the SKU "${line.sku}"`);
    if (!product.active) return add(`lines.${i}.sku`, `${product.sku} (${product.name}) is inactive and cannot be ordered`);
    const unitPriceMinor = product.accountPrice ?? product.listPrice;
    if (unitPriceMinor === null) return add(`lines.${i}.sku`, `${product.sku} has no price in ${input.currency}`);
    const totalMinor = unitPriceMinor * line.quantity;
    if (totalMinor > MAX_AMOUNT_MINOR) return add(`lines.${i}.quantity`, `makes the line total too large`);
    lines.push({
      lineNo: i + 1,
      productId: product.id,
      sku: product.sku,
      name: product.name,
      unit: product.unit,
      category: product.category || null,
      quantity: line.quantity,
      unitPriceMinor,
      totalMinor,
      priceSource: product.accountPrice !== null ? "account" : "list",
    });
  });
  const subtotalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
  if (subtotalMinor > MAX_AMOUNT_MINOR) add("lines", "make the order total too large");
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { accountOrgId: terms.accountOrgId, currency: input.currency, lines, subtotalMinor };
}
