import { z } from "zod";
import { safeText } from "@/lib/core/input-rules";

export const deadLetterSorts = ["impact", "age"] as const;

/** GET /api/v1/intake/dead-letters: ranked by impact (value × tier × age) or oldest first; open ones unless asked. */
export const deadLetterListQuerySchema = z.object({
  sort: z.enum(deadLetterSorts, { error: "must be impact or age" }).default("impact"),
  state: z.enum(["open", "replayed", "discarded"], { error: "must be open, replayed or discarded" }).default("open"),
  cursor: safeText().max(400).optional(),
  limit: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
}).strict();
export type DeadLetterListQuery = z.infer<typeof deadLetterListQuerySchema>;

// A corrected payload travels as text (every format is text: JSON, CSV, EDI, XML), at most 1 MiB.
const payload = z.string().min(1, "is empty").max(1_048_576, "is larger than 1 MiB");

export const replayDeadLetterSchema = z.object({ deadLetterId: z.uuid({ message: "must be a dead letter id" }) }).strict();
export const discardDeadLetterSchema = z.object({
  deadLetterId: z.uuid({ message: "must be a dead letter id" }),
  reason: safeText().trim().min(3, "must say why, in at least 3 characters").max(500, "must be at most 500 characters"),
}).strict();
export const correctDeadLetterSchema = z.object({ deadLetterId: z.uuid({ message: "must be a dead letter id" }), payload }).strict();

/** The bodies of POST …/replay ({ payload? }: a correction first) and …/discard ({ reason }). */
export const replayBodySchema = z.object({ payload: payload.optional() }).strict();
export const discardBodySchema = z.object({ reason: discardDeadLetterSchema.shape.reason }).strict();
