import { z } from "zod";

/** The answer to an accepted payload (202). */
export const acceptedMessageSchema = z.object({
  id: z.uuid().describe("The inbox message id; the same bytes sent again on the same channel answer the same id."),
  status: z.enum(["received", "processing", "done", "dead_letter"]),
});

export const messageReasonSchema = z.object({
  code: z.string().describe("A stable code, e.g. unknown_sku, total_mismatch, unmapped_sender."),
  message: z.string().describe("What is wrong, in plain words."),
  location: z.string().nullable().describe("Where: segment and element for EDI (PO1[3] element 04), a JSON pointer or an XPath otherwise."),
});

export const messageDocumentSchema = z.object({
  index: z.number().int().describe("The document's position in the message (several ST/SE in one ISA, several POs in one CSV)."),
  documentNumber: z.string().nullable(),
  status: z.enum(["created", "updated", "duplicate", "held", "rejected", "dead_letter"]),
  orderId: z.uuid().optional().describe("The order it created or updated, when it did."),
  flags: z.array(z.string()).describe("What was noticed but accepted, e.g. total_mismatch under an accept rule."),
  reason: messageReasonSchema.optional(),
});

/** GET /api/v1/intake/messages/{id}, exactly as issue 14 fixes it. */
export const messageViewSchema = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  status: z.enum(["received", "processing", "done", "dead_letter"]),
  documents: z.array(messageDocumentSchema),
});
