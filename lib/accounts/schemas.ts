import { z } from "zod";
import { orderStatusSchema } from "@/lib/orders/schemas";
import { orgSlugSchema } from "@/lib/orgs/schemas";
import { checkRate, isKnownCurrency, MAX_AMOUNT_MINOR } from "./money";

/** An ISO 4217 code, upper case as written on invoices. */
export const currencyCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, { message: "must be a three-letter ISO 4217 code in capitals, such as USD", abort: true })
  .refine(isKnownCurrency, { message: "is not an ISO 4217 currency" });

export const minorAmountSchema = z.number().int("must be a whole number of cents (the currency's smallest unit)").min(0, "must not be negative").max(MAX_AMOUNT_MINOR, "is too large");

export const rateSchema = z
  .string()
  .max(24, "is too long")
  .superRefine((value, ctx) => {
    const reason = checkRate(value);
    if (reason) ctx.addIssue({ code: "custom", message: reason });
  });

const tierSchema = z
  .string()
  .trim()
  .min(1, "is required")
  .max(40, "must be at most 40 characters")
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: "must not contain control characters such as NUL" });

/** Currencies besides the base one, each with its rate: one unit of it is `rateToBase` units of the base. */
const otherCurrenciesSchema = z
  .array(z.object({ currency: currencyCodeSchema, rateToBase: rateSchema }))
  .max(20, "may list at most 20 currencies")
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (seen.has(c.currency)) ctx.addIssue({ code: "custom", path: [i, "currency"], message: `${c.currency} is listed twice` });
      seen.add(c.currency);
    });
  });

export const createSupplierSchema = z.object({
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  slug: orgSlugSchema,
});

export const openAccountSchema = z.object({
  orgId: z.uuid({ message: "must be an organization id" }),
  tier: tierSchema.default("Standard"),
  baseCurrency: currencyCodeSchema,
  creditLimitMinor: minorAmountSchema.nullable().default(null),
  currencies: otherCurrenciesSchema.default([]),
});
export type OpenAccountInput = z.input<typeof openAccountSchema>;

export const updateAccountSchema = z.object({
  accountId: z.uuid({ message: "must be an account id" }),
  tier: tierSchema.optional(),
  creditLimitMinor: minorAmountSchema.nullable().optional(),
  /** With `currencies`: replaces the account's whole currency list (the base has rate 1). */
  baseCurrency: currencyCodeSchema.optional(),
  currencies: otherCurrenciesSchema.optional(),
});
export type UpdateAccountInput = z.input<typeof updateAccountSchema>;

export const accountListQuerySchema = z.strictObject({
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(100, "must be at most 100").default(50),
});
export type AccountListQuery = z.infer<typeof accountListQuerySchema>;

export const accountCurrencySchema = z.object({ currency: z.string(), rateToBase: z.string(), isBase: z.boolean() });

const monthSchema = z.object({
  month: z.string().describe("First day of the month, YYYY-MM-DD (UTC)"),
  orderCount: z.number().int(),
  valueMinor: z.number().int().describe("In the account's base currency"),
});

export const accountSummarySchema = z.object({
  id: z.uuid().describe("The customer organization's id"),
  name: z.string(),
  slug: z.string(),
  tier: z.string(),
  baseCurrency: z.string().nullable(),
  creditLimitMinor: z.number().int().nullable(),
  currencies: z.array(accountCurrencySchema),
  last12Months: z.object({
    orderCount: z.number().int().describe("Orders placed (submitted, approved or fulfilled) in the last 12 months"),
    valueMinor: z.number().int().describe("Their total in the base currency, converted with the account's rates"),
    unconvertedCurrencies: z.array(z.string()).describe("Currencies of orders the account no longer has a rate for; not in valueMinor"),
    months: z.array(monthSchema),
  }),
  waitingForApproval: z.number().int().describe("Orders in status submitted, of any age"),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const accountPageSchema = z.object({ data: z.array(accountSummarySchema), nextCursor: z.string().nullable() });

export const supplierOrderListQuerySchema = z.strictObject({
  account: z.uuid({ message: "must be an account id" }).optional(),
  status: orderStatusSchema.optional(),
  dir: z.enum(["asc", "desc"]).default("desc"),
  cursor: z.string().max(400).optional(),
  before: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type SupplierOrderListQuery = z.infer<typeof supplierOrderListQuerySchema>;

export const supplierOrderSummarySchema = z.object({
  id: z.uuid(),
  number: z.string(),
  status: orderStatusSchema,
  accountId: z.uuid(),
  accountName: z.string(),
  branchName: z.string(),
  buyerName: z.string(),
  currency: z.string(),
  totalMinor: z.number().int(),
  placedAt: z.string(),
});
export type SupplierOrderSummary = z.infer<typeof supplierOrderSummarySchema>;
