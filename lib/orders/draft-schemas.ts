import { z } from "zod";
import { orderLineRequestSchema } from "@/lib/catalog/schemas";
import { safeText } from "@/lib/core/input-rules";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date (YYYY-MM-DD) from today to ten years ahead: a delivery date someone means. */
export const deliveryDateSchema = z.string().superRefine((text, ctx) => {
  const m = DATE.exec(text);
  const date = m ? new Date(`${text}T00:00:00Z`) : null;
  if (!m || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    ctx.addIssue({ code: "custom", message: "must be a real date written YYYY-MM-DD" });
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  const limit = `${Number(today.slice(0, 4)) + 10}${today.slice(4)}`;
  if (text < today) ctx.addIssue({ code: "custom", message: "must not be in the past" });
  else if (text > limit) ctx.addIssue({ code: "custom", message: "must be within ten years" });
});

export const orderNoteSchema = safeText().max(2000, "must be at most 2,000 characters");
export const orderCommentSchema = safeText().trim().max(2000, "must be at most 2,000 characters");

const linesSchema = z.array(orderLineRequestSchema).min(1, "needs at least one line").max(500, "may have at most 500 lines");

/** POST /api/v1/orders and the new-order form: prices come from the catalog, never the client. */
export const draftOrderSchema = z.object({
  branchId: z.uuid({ message: "must be a branch id" }),
  lines: linesSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").optional(),
  requestedDeliveryDate: deliveryDateSchema.nullish(),
  shipToAddressId: z.uuid({ message: "must be an address id" }).nullish(),
  note: orderNoteSchema.optional(),
});
export type DraftOrderInput = z.input<typeof draftOrderSchema>;

/** PATCH /api/v1/orders/{id}: any of the draft's fields, and the version the client last saw. */
export const editDraftSchema = z.object({
  orderId: z.uuid({ message: "must be an order id" }),
  version: z.number().int("must be a whole number").min(1, "must be at least 1").max(2_000_000_000, "is not a version this server issued").optional(),
  lines: linesSchema.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").optional(),
  requestedDeliveryDate: deliveryDateSchema.nullish(),
  shipToAddressId: z.uuid({ message: "must be an address id" }).nullish(),
  note: orderNoteSchema.optional(),
});
export type EditDraftInput = z.input<typeof editDraftSchema>;

/** submit, approve, reject and cancel: the order, an optional comment and expected version. */
export const orderActionSchema = z.object({
  orderId: z.uuid({ message: "must be an order id" }),
  comment: orderCommentSchema.optional(),
  version: z.number().int("must be a whole number").min(1, "must be at least 1").max(2_000_000_000, "is not a version this server issued").optional(),
});
export type OrderActionInput = z.input<typeof orderActionSchema>;
