import { z } from "zod";
import { safeText } from "@/lib/core/input-rules";
import { orderCommentSchema } from "@/lib/orders/draft-schemas";

const versionSchema = z.number().int("must be a whole number").min(1, "must be at least 1").max(2_000_000_000, "is not a version this server issued");

/**
 * POST /api/v1/invoices: the order and, optionally, days until payment is due. No amount: the
 * invoice copies the order's, so a client's amount or currency is refused as an unknown field.
 */
export const issueInvoiceSchema = z
  .object({
    orderId: z.uuid({ message: "must be an order id" }),
    dueInDays: z.number().int("must be a whole number of days").min(0, "must not be negative").max(365, "must be at most 365 days").optional(),
  })
  .strict();
export type IssueInvoiceInput = z.input<typeof issueInvoiceSchema>;

/** Approve: an optional comment; the version the client saw, for a 409 when it moved on. */
export const approveInvoiceSchema = z.object({ invoiceId: z.uuid({ message: "must be an invoice id" }), comment: orderCommentSchema.optional(), version: versionSchema.optional() });

/** Dispute: the comment says what is wrong, so it is required. */
const DISPUTE_REASON = "is required: say what is wrong with the invoice";
export const disputeInvoiceSchema = approveInvoiceSchema.extend({ comment: safeText(DISPUTE_REASON).trim().max(2000, "must be at most 2,000 characters").min(1, DISPUTE_REASON) });

/** The REST bodies of /approve and /dispute (the id is in the path). */
export const approveInvoiceBodySchema = approveInvoiceSchema.omit({ invoiceId: true }).strict();
export const disputeInvoiceBodySchema = disputeInvoiceSchema.omit({ invoiceId: true }).strict();

export const invoiceStatusSchema = z.enum(["issued", "approved", "disputed"]);

/** GET /api/v1/invoices and the invoices page. */
export const invoicesQuerySchema = z.object({
  status: invoiceStatusSchema.optional(),
  cursor: safeText().max(400).optional(),
  limit: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});
export type InvoicesQuery = z.output<typeof invoicesQuerySchema>;

export const invoiceSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  orderId: z.uuid(),
  orderNumber: z.string(),
  branchId: z.uuid(),
  branchName: z.string(),
  status: invoiceStatusSchema,
  currency: z.string(),
  subtotalMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  baseTotalMinor: z.number().int(),
  baseCurrency: z.string(),
  dueDate: z.string(),
  issuedAt: z.string(),
  decidedAt: z.string().nullable(),
  comment: z.string(),
  version: z.number().int(),
});
export type Invoice = z.infer<typeof invoiceSchema>;
export const invoicePageSchema = z.object({ data: z.array(invoiceSchema), nextCursor: z.string().nullable() });
export type InvoicePage = z.infer<typeof invoicePageSchema>;
