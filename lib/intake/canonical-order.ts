import { z } from "zod";

// The canonical order: what every channel's parser produces and what the `json` channel accepts as is.
// Amounts and quantities are decimal strings (a float would round 0.1 + 0.2); identifiers are strings
// (leading zeros and Shopify ids beyond 2^53 survive). Header totals are claims, checked against the lines
// by check-header-claims.ts, never trusted and never silently recomputed.

const DECIMAL = /^-?\d{1,24}(\.\d{1,12})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function decimalText(what: string) {
  return z.string({ error: `${what} must be written as text, like "12.50"` })
    .regex(DECIMAL, { error: `${what} must be a decimal number like 12.50 (a point, no thousands separators)` });
}

function dateText(what: string) {
  return z.string({ error: `${what} must be a date written as YYYY-MM-DD` })
    .regex(DATE, { error: `${what} must be a date written as YYYY-MM-DD` })
    .refine(isRealDate, { error: `${what} is not a real calendar date between 1900 and 2999` });
}

function text(what: string, max: number) {
  return z.string({ error: `${what} must be text` })
    .max(max, { error: `${what} is longer than ${max} characters` })
    .refine((s) => !s.includes("\u0000"), { error: `${what} contains a NUL character` });
}

/** True for YYYY-MM-DD that names a day that exists, in years 1900–2999. */
export function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number) as [number, number, number];
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** An identifier as the sender wrote it: scheme says whose list it comes from (gln, x12-isa, cxml-from…). */
export const identifierSchema = z.object({
  scheme: text("identifier scheme", 64),
  qualifier: text("identifier qualifier", 64).optional(),
  value: text("identifier", 256).min(1, { error: "an identifier is empty" }),
}).strict();

export const addressSchema = z.object({
  lines: z.array(text("address line", 256)).max(8, { error: "an address has at most 8 lines" }),
  city: text("city", 128).optional(),
  region: text("region", 128).optional(),
  postalCode: text("postal code", 32).optional(),
  country: text("country", 64).optional(),
}).strict();

export const partySchema = z.object({
  name: text("party name", 256).optional(),
  identifiers: z.array(identifierSchema).max(16, { error: "a party has at most 16 identifiers" }).default([]),
  address: addressSchema.optional(),
}).strict();

/** A requested delivery: one date gives earliest = latest; a window gives both ends. */
export const deliverySchema = z.object({
  earliest: dateText("earliest delivery date").optional(),
  latest: dateText("latest delivery date").optional(),
}).strict();

export const orderLineSchema = z.object({
  lineNumber: text("line number", 32).min(1, { error: "a line number is empty" }),
  buyerPartNumber: text("buyer part number", 128).optional(),
  vendorPartNumber: text("vendor part number (SKU)", 128).optional(),
  gtin: text("GTIN", 32).optional(),
  itemIds: z.array(identifierSchema).max(16, { error: "a line has at most 16 other item identifiers" }).optional(),
  description: text("description", 2000).optional(),
  quantity: decimalText("quantity").describe("A decimal string, never a JSON float: \"12.5\"."),
  unitOfMeasure: text("unit of measure", 16).optional(),
  unitPrice: decimalText("unit price").optional().describe("A decimal string in the order's currency, per priceBasisQuantity units (default 1)."),
  // The price is for this many units (UBL BaseQuantity, EDIFACT PRI unit basis); absent means 1.
  priceBasisQuantity: decimalText("price basis quantity").optional(),
  // The sender's own line amount: a claim, like the header total.
  claimedLineTotal: decimalText("line total").optional(),
  requestedDelivery: deliverySchema.optional(),
  notes: z.array(text("note", 4000)).max(32).optional(),
}).strict();

export const orderKinds = ["original", "update", "cancel"] as const;

export const canonicalOrderSchema = z.object({
  documentNumber: text("document number", 128).min(1, { error: "the document number is empty" })
    .describe("The buyer's PO number as sent (X12 BEG03, EDIFACT BGM02, cXML orderID, UBL ID, Shopify id). Not unique alone: the inbox keys it with the channel and sender."),
  kind: z.enum(orderKinds, { error: "kind must be original, update or cancel" })
    .describe("original, update (X12 BEG01 05, EDIFACT BGM 5, cXML type=update) or cancel."),
  reference: text("reference", 128).optional(),
  senders: z.array(identifierSchema).max(16, { error: "at most 16 sender identifiers" }).default([])
    .describe("Who sent it: ISA/GS ids, UNB sender, cXML From credentials, Peppol endpoint, Shopify shop and customer. Mapped to an account by the channel."),
  buyer: partySchema.optional(),
  shipTo: partySchema.optional(),
  billTo: partySchema.optional(),
  seller: partySchema.optional(),
  orderDate: dateText("order date").optional().describe("YYYY-MM-DD, the sender's own calendar date."),
  requestedDelivery: deliverySchema.optional(),
  currency: z.string({ error: "currency must be a three-letter code like EUR" })
    .regex(/^[A-Z]{3}$/, { error: "currency must be a three-letter code like EUR" }).optional(),
  lines: z.array(orderLineSchema).min(1, { error: "an order needs at least one line" })
    .max(10_000, { error: "an order has at most 10,000 lines" }),
  claims: z.object({
    total: decimalText("claimed total").optional(),
    lineCount: z.string().regex(/^\d{1,9}$/, { error: "claimed line count must be a whole number" }).optional(),
    quantityTotal: decimalText("claimed quantity total").optional(),
  }).strict().default({}).describe("What the sender's header claims (total, line count, quantity total): checked against the lines, never trusted."),
  notes: z.array(text("note", 4000)).max(64, { error: "at most 64 notes" }).default([]),
}).strict();

export type Identifier = z.infer<typeof identifierSchema>;
export type Address = z.infer<typeof addressSchema>;
export type Party = z.infer<typeof partySchema>;
export type OrderLine = z.infer<typeof orderLineSchema>;
export type CanonicalOrder = z.infer<typeof canonicalOrderSchema>;
export type OrderKind = (typeof orderKinds)[number];
