import { z } from "zod";
import { orderListQuerySchema, orderSummarySchema } from "@/lib/orders/schemas";

/**
 * Shapes that exist only at the HTTP boundary. The order shapes themselves live in
 * lib/orders/schemas.ts; these wrap or narrow them, so the routes and the OpenAPI document share
 * one definition.
 */

// Forward-only paging (`before` stays a dashboard feature), and unknown parameters are refused
// rather than ignored, so a typo such as `stauts=` never silently returns everything.
export const apiOrderListQuerySchema = z.strictObject(orderListQuerySchema.omit({ before: true }).shape);
export type ApiOrderListQuery = z.infer<typeof apiOrderListQuerySchema>;

// Any 8-4-4-4-12 hex id; anything else cannot exist, so the route answers 404 without a query.
export const orderIdParamSchema = z.guid();

export const orderPageSchema = z.object({
  data: z.array(orderSummarySchema),
  nextCursor: z.string().nullable().describe("Pass as `cursor` to get the next page; null on the last page."),
});
export type ApiOrderPage = z.infer<typeof orderPageSchema>;

/** RFC 9457 problem details, with the request id to quote and per-field reasons for 422. */
export const problemSchema = z.object({
  type: z.string().describe("A URI reference; about:blank means the status code says it all."),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  requestId: z.string(),
  errors: z.record(z.string(), z.array(z.string())).optional().describe("Field (query parameter or input path) to reasons."),
});
export type Problem = z.infer<typeof problemSchema>;

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.object({
    reachable: z.boolean(),
    migrations: z.object({
      applied: z.number().int().nullable().describe("null when the database could not be reached"),
      expected: z.number().int(),
      current: z.boolean(),
    }),
  }),
  version: z.string(),
  intake: z
    .object({
      queueDepth: z.number().int().describe("Inbox messages received or being processed."),
      lagSeconds: z.number().int().nullable().describe("How long the oldest unprocessed message has waited; null when none waits."),
      deadLetters: z.number().int().describe("Open dead letters, over every channel."),
    })
    .nullable()
    .describe("Order intake's queue (issue 14); null when the database could not be read."),
});
export type Health = z.infer<typeof healthSchema>;
