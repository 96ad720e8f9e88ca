import { z } from "zod";
import { currencyCodeSchema, minorAmountSchema } from "@/lib/accounts/schemas";

// Letters, digits and . _ - / : a SKU must survive CSV files, URLs and order numbers unquoted.
export const skuSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(64, "must be at most 64 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, "may contain letters, digits and . _ / - only, starting with a letter or digit");

// NUL and the other control characters; tabs and line breaks are fine.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), { message: "must not contain control characters such as NUL" });

export const productFieldsSchema = z.object({
  name: text(200).min(1, "is required"),
  description: text(2000).default(""),
  category: text(80).default(""),
  unit: text(20).min(1, "is required").default("each"),
  active: z.boolean().default(true),
});

/** List prices by currency, in minor units: `{ "USD": 1899, "EUR": 1750 }`. */
export const listPricesSchema = z
  // zod drops a "__proto__" key without a word; say it is not a currency instead.
  .custom<Record<string, unknown>>((v) => !(v && typeof v === "object" && Object.hasOwn(v, "__proto__")), { message: '"__proto__" is not an ISO 4217 currency code such as USD' })
  .pipe(
    z.record(z.string(), minorAmountSchema).superRefine((prices, ctx) => {
      const keys = Object.keys(prices);
      if (keys.length > 20) ctx.addIssue({ code: "custom", message: "may have at most 20 currencies" });
      for (const key of keys) if (!currencyCodeSchema.safeParse(key).success) ctx.addIssue({ code: "custom", path: [key], message: `"${key.slice(0, 8)}" is not an ISO 4217 currency code such as USD` });
    }),
  );

export const createProductSchema = productFieldsSchema.extend({ sku: skuSchema, prices: listPricesSchema.default({}) });
export type CreateProductInput = z.input<typeof createProductSchema>;

export const updateProductSchema = z.object({
  productId: z.uuid({ message: "must be a product id" }),
  sku: skuSchema.optional(),
  name: productFieldsSchema.shape.name.optional(),
  description: text(2000).optional(),
  category: text(80).optional(),
  unit: text(20).min(1, "is required").optional(),
  active: z.boolean().optional(),
  /** Replaces the whole list-price set when given. */
  prices: listPricesSchema.optional(),
});
export type UpdateProductInput = z.input<typeof updateProductSchema>;

export const productIdSchema = z.object({ productId: z.uuid({ message: "must be a product id" }) });

export const setAccountPriceSchema = z.object({
  productId: z.uuid({ message: "must be a product id" }),
  accountId: z.uuid({ message: "must be an account id" }),
  currency: currencyCodeSchema,
  unitPriceMinor: minorAmountSchema,
});
export const removeAccountPriceSchema = setAccountPriceSchema.omit({ unitPriceMinor: true });

/** The catalog's query string, shared by the pages and GET /api/v1/catalog/products. */
export const productListQuerySchema = z.strictObject({
  q: z.string().trim().max(64, "must be at most 64 characters").optional(),
  category: z.string().trim().max(80, "must be at most 80 characters").optional(),
  /** Customers: the currency to price in (default: the account's base). Supplier: which list price to show. */
  currency: currencyCodeSchema.optional(),
  /** Supplier only; customers always see active products. */
  status: z.enum(["active", "inactive", "all"]).default("all"),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type ProductListQuery = z.infer<typeof productListQuerySchema>;

export const productPriceSchema = z
  .object({
    currency: z.string(),
    unitPriceMinor: z.number().int(),
    source: z.enum(["account", "list"]).describe("account: a price agreed for the caller's account; list: the catalog price"),
  })
  .nullable()
  .describe("The price in the requested currency, or null when there is none");

export const catalogProductSchema = z.object({
  id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  unit: z.string(),
  active: z.boolean(),
  price: productPriceSchema,
  listPrices: z.record(z.string(), z.number().int()).optional().describe("Supplier staff only: every list price"),
});
export type CatalogProduct = z.infer<typeof catalogProductSchema>;

export const catalogPageSchema = z.object({
  currency: z.string().nullable().describe("The currency prices are in"),
  data: z.array(catalogProductSchema),
  nextCursor: z.string().nullable(),
});
export type CatalogPage = z.infer<typeof catalogPageSchema>;

export const accountPriceSchema = z.object({ accountId: z.uuid(), accountName: z.string(), currency: z.string(), unitPriceMinor: z.number().int() });

export const productDetailSchema = catalogProductSchema.extend({
  accountPrices: z.array(accountPriceSchema).optional().describe("Supplier staff with accounts:read: prices agreed per account"),
});
export type ProductDetail = z.infer<typeof productDetailSchema>;

/** What priceOrderLines takes: the lines as a buyer sends them. */
export const orderLineRequestSchema = z.object({
  sku: z.string().trim().min(1, "is required").max(64, "must be at most 64 characters"),
  quantity: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "must be at most 1,000,000"),
});
