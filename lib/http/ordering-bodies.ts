import { z } from "zod";
import { deliveryDateSchema, draftOrderSchema, orderCommentSchema, orderNoteSchema } from "@/lib/orders/draft-schemas";
import { orderLineRequestSchema } from "@/lib/catalog/schemas";

const strictLines = z.array(orderLineRequestSchema.strict()).min(1, "needs at least one line").max(500, "may have at most 500 lines");

/** POST /api/v1/orders: the draft, and `submit: true` to submit it at once. Unknown keys (a price, a total) are refused. */
export const createOrderBodySchema = draftOrderSchema.extend({ lines: strictLines, submit: z.boolean().optional() }).strict();

/** PATCH /api/v1/orders/{id}. */
export const editOrderBodySchema = z
  .object({
    version: z.number().int().min(1).max(2_000_000_000).optional(),
    lines: strictLines.optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD").optional(),
    requestedDeliveryDate: deliveryDateSchema.nullish(),
    shipToAddressId: z.uuid({ message: "must be an address id" }).nullish(),
    note: orderNoteSchema.optional(),
  })
  .strict();

/** POST /api/v1/orders/{id}/submit|approve|reject|cancel. */
export const orderActionBodySchema = z.object({ comment: orderCommentSchema.optional(), version: z.number().int().min(1).max(2_000_000_000).optional() }).strict();
