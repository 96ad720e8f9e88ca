import { z } from "zod";
import { safeText } from "@/lib/core/input-rules";

/** The seven formats (issue 14), the order the CLI's help lists them. */
export const INTAKE_FORMATS = ["json", "csv", "x12-850", "cxml", "ubl", "edifact", "shopify"] as const;
export type IntakeFormat = (typeof INTAKE_FORMATS)[number];

/** Formats whose credential includes a secret we must hold in clear (sealed): the cXML SharedSecret, the Shopify HMAC key. */
export function formatHasSecret(format: IntakeFormat): boolean {
  return format === "cxml" || format === "shopify";
}

// Ceilings for what one channel may set: a payload larger than 100 MB is not an order.
export const MAX_BODY_BYTES_CEILING = 104_857_600;
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_MAX_DEPTH = 10_000;

const name = z.string().trim().min(1, "must not be empty").max(120, "must be at most 120 characters").pipe(safeText());
const slug = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");
const uuid = (what: string) => z.uuid({ message: `must be ${what} id` });
const currency = z.string().regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as EUR");
const days = z.number().int("must be a whole number of days").min(0, "must be 0 or more").max(3650, "must be at most 3650 days");

/** A channel's or an account's rule overrides; strict, so a misspelt rule is an error, not a silent default. */
export const rulesSchema = z
  .object({
    unknownSku: z.enum(["reject", "accept"]).optional(),
    onTotalMismatch: z.enum(["hold", "accept", "reject"]).optional(),
    shipToUnknown: z.enum(["reject", "hold"]).optional(),
    currencies: z.array(currency).min(1, "must list at least one currency").max(50).optional(),
    dateWindowDays: z.object({ past: days.optional(), future: days.optional() }).strict().optional(),
  })
  .strict();
export type RulesInput = z.infer<typeof rulesSchema>;

// CSV: which column holds each canonical field; the keys are checked by the CSV parser's own list.
const csvMapping = z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_.]{0,63}$/, "must be a field name"), z.string().min(1).max(200).pipe(safeText())).nullable();

export const createChannelSchema = z
  .object({
    name,
    format: z.enum(INTAKE_FORMATS, { message: `must be one of ${INTAKE_FORMATS.join(", ")}` }),
    defaultAccount: slug.optional(),
    defaultBranchId: uuid("a branch").optional(),
    rules: rulesSchema.default({}),
    csvMapping: csvMapping.optional(),
    maxBodyBytes: z.number().int().min(1).max(MAX_BODY_BYTES_CEILING, `must be at most ${MAX_BODY_BYTES_CEILING} bytes`).default(DEFAULT_MAX_BODY_BYTES),
    maxDepth: z.number().int().min(1, "must be 1 or more").max(10_000_000).default(DEFAULT_MAX_DEPTH),
    expectedIntervalSeconds: z.number().int().min(1).max(31_536_000).nullable().default(null),
    // cXML / Shopify: the partner's own secret when it has one (Shopify issues it); else we generate one.
    secret: z.string().min(16, "must be at least 16 characters").max(500, "must be at most 500 characters").pipe(safeText()).optional(),
  })
  .strict();
export type CreateChannelInput = z.input<typeof createChannelSchema>;

export const updateChannelSchema = z
  .object({
    channelId: uuid("a channel"),
    name: name.optional(),
    defaultAccount: slug.nullable().optional(),
    defaultBranchId: uuid("a branch").nullable().optional(),
    csvMapping: csvMapping.optional(),
    maxBodyBytes: z.number().int().min(1).max(MAX_BODY_BYTES_CEILING).optional(),
    maxDepth: z.number().int().min(1).max(10_000_000).optional(),
    expectedIntervalSeconds: z.number().int().min(1).max(31_536_000).nullable().optional(),
  })
  .strict();

export const channelIdSchema = z.object({ channelId: uuid("a channel") }).strict();

export const changeRulesSchema = z
  .object({
    channelId: uuid("a channel"),
    // Without an account: the channel's own rules; with one: that account's overrides on this channel.
    account: slug.optional(),
    rules: rulesSchema,
  })
  .strict();

// Sender ids are the partner's (ISA/GS ids, GLNs, cXML identities, shop domains): printable, bounded.
const senderId = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").pipe(safeText());

export const addMappingSchema = z.object({ channelId: uuid("a channel"), senderId, account: slug, branchId: uuid("a branch").optional() }).strict();
export const removeMappingSchema = z.object({ channelId: uuid("a channel"), senderId }).strict();

const part = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").pipe(safeText());
export const addXrefSchema = z.object({ channelId: uuid("a channel"), account: slug, buyerPart: part, sku: part }).strict();
export const removeXrefSchema = z.object({ channelId: uuid("a channel"), account: slug, buyerPart: part }).strict();
