import { z } from "zod";

// What the worker hands the intake order commands: already planned (lib/intake/process/plan-document.ts),
// still validated here like any command input, since the command is the gate.

const line = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("catalog"), sku: z.string().min(1).max(64), quantity: z.number().int().min(1).max(1_000_000) }).strict(),
  z.object({
    kind: z.literal("free-text"),
    sku: z.string().min(1).max(64),
    description: z.string().min(1).max(500),
    quantity: z.number().int().min(1).max(1_000_000),
    unitPriceMinor: z.number().int().min(0).max(1e13),
  }).strict(),
]);

// A real calendar day, past ones included: a partner's date is taken as sent, and the channel's
// date window (plan-document.ts) decides whether an old or far one is flagged, held or refused.
const calendarDate = z.string().refine((text) => {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : null;
  return day !== null && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}, "must be a real date written YYYY-MM-DD");

const orderFields = {
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as USD"),
  shipToAddressId: z.uuid().nullable(),
  requestedDeliveryDate: calendarDate.nullable(),
  note: z.string().max(2000),
  lines: z.array(line).min(1, "needs at least one line").max(500, "may have at most 500 lines"),
  /** False: the order stays a draft, held for a person (a rule flagged it). */
  submit: z.boolean(),
  /** Where it came from, for the audit metadata. */
  source: z.object({ channelId: z.uuid(), messageId: z.uuid(), index: z.number().int().min(0), documentNumber: z.string().max(128) }).strict(),
};

export const receiveOrderSchema = z.object({ branchId: z.uuid(), preferredNumber: z.string().max(128), ...orderFields }).strict();
export const reviseOrderSchema = z.object({ orderId: z.uuid(), ...orderFields }).strict();

export type ReceiveOrderInput = z.infer<typeof receiveOrderSchema>;
export type ReviseOrderInput = z.infer<typeof reviseOrderSchema>;
export type IntakeLineInput = z.infer<typeof line>;
