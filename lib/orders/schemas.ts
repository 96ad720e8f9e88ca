import { z } from "zod";
import { instantSchema, safeText } from "@/lib/core/input-rules";

export const orderStatuses = ["draft", "submitted", "approved", "rejected", "cancelled", "fulfilled"] as const;
export const orderStatusSchema = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const orderSortKeys = ["placed", "total", "number"] as const;
export type OrderSortKey = (typeof orderSortKeys)[number];

const minor = z.number().int("must be a whole number of cents (the currency's smallest unit)").min(0, "must not be negative").max(1e13, "is too large");

// Amounts travel as JavaScript numbers (and are stored as bigint): every computed amount must stay
// an exact integer, so a line's and an order's total are bounded by 2^53 - 1, not just each input.
export const MAX_AMOUNT_MINOR = Number.MAX_SAFE_INTEGER;
const maxAmountText = MAX_AMOUNT_MINOR.toLocaleString("en-US");
// Refinements may see values that failed their own field's check: those are skipped, not converted.
const exact = (n: unknown): bigint | null => (typeof n === "number" && Number.isSafeInteger(n) ? BigInt(n) : null);
const lineTotal = (l: { quantity: unknown; unitPriceMinor: unknown }): bigint | null => {
  const quantity = exact(l.quantity);
  const price = exact(l.unitPriceMinor);
  return quantity === null || price === null ? null : quantity * price;
};

export const orderLineInputSchema = z
  .object({
    sku: z.string().trim().min(1, "is required").max(64, "must be at most 64 characters"),
    description: z.string().trim().min(1, "is required").max(500, "must be at most 500 characters"),
    quantity: z.number().int("must be a whole number").min(1, "must be at least 1").max(1_000_000, "must be at most 1,000,000"),
    unitPriceMinor: minor,
  })
  .refine((l) => (lineTotal(l) ?? BigInt(0)) <= BigInt(MAX_AMOUNT_MINOR), {
    path: ["unitPriceMinor"],
    message: `makes the line total (quantity × unit price) larger than the most an order can carry (${maxAmountText} in the currency's smallest unit)`,
  });

export const createOrderSchema = z.object({
  number: z.string().trim().min(1, "is required").max(40, "must be at most 40 characters").regex(/^[A-Za-z0-9._\/-]+$/, "may contain letters, digits and . _ / - only").optional(),
  branchId: z.uuid({ message: "must be a branch id" }),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
  taxMinor: minor.default(0),
  lines: z.array(orderLineInputSchema).min(1, "needs at least one line").max(500, "may have at most 500 lines"),
  // Operator-only (imports and demo data); a person's order is always theirs, placed now.
  buyerId: z.uuid().optional(),
  placedAt: instantSchema.optional(),
  status: orderStatusSchema.optional(),
}).superRefine((order, ctx) => {
  // Checked in bigint, so the check itself cannot round; lines refused on their own are left out.
  const max = BigInt(MAX_AMOUNT_MINOR);
  const totals = order.lines.map(lineTotal);
  if (totals.some((t) => t === null || t > max)) return;
  const subtotal = (totals as bigint[]).reduce((sum, t) => sum + t, BigInt(0));
  const tax = exact(order.taxMinor) ?? BigInt(0);
  if (subtotal > max) ctx.addIssue({ code: "custom", path: ["lines"], message: `add up to a subtotal larger than the most an order can carry (${maxAmountText} in the currency's smallest unit)` });
  else if (subtotal + tax > max) ctx.addIssue({ code: "custom", path: ["taxMinor"], message: `makes the order total (subtotal + tax) larger than the most an order can carry (${maxAmountText} in the currency's smallest unit)` });
});
export type CreateOrderInput = z.input<typeof createOrderSchema>;

/** A calendar day (UTC) of a date-range filter: YYYY-MM-DD, a real date, years 2000 to 2999. */
export const orderDaySchema = z
  .string()
  .regex(/^2\d{3}-\d{2}-\d{2}$/, "must be a date such as 2026-05-01")
  .refine((d) => {
    const day = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(d);
  }, "must be a real calendar date, such as 2026-05-01");

/** The query string of an order list, shared by the dashboard and the REST API. */
export const orderListQuerySchema = z.object({
  sort: z.enum(orderSortKeys).default("placed"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  status: orderStatusSchema.optional(),
  branch: z.uuid({ message: "must be a branch id" }).optional(),
  buyer: z.uuid({ message: "must be a buyer's id" }).optional(),
  from: orderDaySchema.optional(),
  to: orderDaySchema.optional(),
  q: safeText().trim().max(40, "must be at most 40 characters").optional(),
  cursor: safeText().max(400).optional(),
  before: safeText().max(400).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type OrderListQuery = z.infer<typeof orderListQuerySchema>;

export const orderSummarySchema = z.object({
  id: z.uuid(),
  number: z.string(),
  status: orderStatusSchema,
  branchId: z.uuid(),
  branchName: z.string(),
  buyerId: z.uuid(),
  buyerName: z.string(),
  currency: z.string(),
  totalMinor: z.number().int(),
  placedAt: z.string().describe("ISO 8601 UTC"),
});
export type OrderSummary = z.infer<typeof orderSummarySchema>;

export const orderDetailSchema = orderSummarySchema.extend({
  subtotalMinor: z.number().int(),
  taxMinor: z.number().int(),
  buyerEmail: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().describe("Send it back (as `version`) with a change: a stale one is answered 409."),
  requestedDeliveryDate: z.string().nullable().describe("YYYY-MM-DD"),
  shipTo: z
    .object({ addressId: z.uuid(), label: z.string(), lines: z.array(z.string()), city: z.string(), region: z.string(), postalCode: z.string(), country: z.string() })
    .nullable()
    .describe("A copy of the branch address it ships to."),
  note: z.string(),
  baseTotalMinor: z.number().int().nullable().describe("The total in the account's base currency, set at submission."),
  baseCurrency: z.string().nullable(),
  lines: z.array(
    z.object({ lineNo: z.number().int(), sku: z.string(), description: z.string(), quantity: z.number().int(), unitPriceMinor: z.number().int(), totalMinor: z.number().int() }),
  ),
  approvals: z
    .array(
      z.object({
        id: z.uuid(),
        rule: z.string(),
        tier: z.number().int(),
        group: z.number().int(),
        roles: z.array(z.string()).describe("Any one of these roles may decide this step."),
        status: z.enum(["pending", "approved", "rejected", "withdrawn"]),
        waitingSince: z.string().nullable(),
        escalations: z.number().int(),
        decidedBy: z.string().nullable().describe("The approver's name."),
        decidedAt: z.string().nullable(),
        comment: z.string(),
      }),
    )
    .describe("The approval history: one entry per tier and group of each matched rule."),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;
