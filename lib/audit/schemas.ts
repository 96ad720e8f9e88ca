import { z } from "zod";
import { instantTextSchema, parseIsoInstant, safeText } from "@/lib/core/input-rules";

export const auditOutcomes = ["success", "denied", "failure"] as const;
export const auditOutcomeSchema = z.enum(auditOutcomes);

export const auditExportFormats = ["csv", "jsonl"] as const;
export type AuditExportFormat = (typeof auditExportFormats)[number];

/**
 * Parses a filter time as UTC unless it names an offset; null when it is not a real instant
 * between 1970 and 9999 (the shared rule, lib/core/input-rules.ts).
 */
export function parseUtcDateTime(text: string): Date | null {
  return parseIsoInstant(text);
}

const dateTimeFilter = instantTextSchema;

/**
 * The filters of an audit list or export, as plain strings: the same object goes in the URL, in
 * the export's own audit event and to the CLI. Every one of them is optional.
 */
const filterShape = {
  actor: safeText().trim().min(1).max(254, "must be at most 254 characters").optional().describe("An actor id (exact) or the start of an actor label such as an email (case-insensitive)."),
  action: z
    .string()
    .trim()
    .max(100, "must be at most 100 characters")
    .regex(/^[A-Za-z0-9._-]+$/, "may contain letters, digits and . _ - only")
    .optional()
    .describe('An action ("order.created"), or a prefix ending in "." ("auth.").'),
  target: safeText().trim().min(1).max(200, "must be at most 200 characters").optional().describe("A target id (exact)."),
  branch: z.uuid({ message: "must be a branch id" }).optional().describe("Only events of this branch's subtree."),
  outcome: auditOutcomeSchema.optional(),
  from: dateTimeFilter.optional().describe("Events at or after this instant."),
  to: dateTimeFilter.optional().describe("Events before this instant."),
};

const pagingShape = {
  cursor: safeText().max(400).optional(),
  limit: z.coerce.number().int().min(1, "must be at least 1").max(200, "must be at most 200").default(50),
};

// Zod cannot pick or omit keys of a refined object, so each schema is built from the shapes and
// gets this check of its own.
function checkTimeRange(f: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  const from = f.from ? parseUtcDateTime(f.from) : null;
  const to = f.to ? parseUtcDateTime(f.to) : null;
  if (from && to && to <= from) ctx.addIssue({ code: "custom", path: ["to"], message: "must be later than from" });
}

export const auditFiltersSchema = z.object(filterShape).superRefine(checkTimeRange);
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

/** The query string of the audit list page (newest first, keyset paged both ways). */
export const auditListQuerySchema = z.object({ ...filterShape, ...pagingShape, before: safeText().max(400).optional() }).superRefine(checkTimeRange);
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

// The REST list pages forward only, and an unknown parameter is an error rather than ignored, so
// a typo such as `acton=` never silently returns everything.
export const apiAuditListQuerySchema = z.strictObject({ ...filterShape, ...pagingShape }).superRefine(checkTimeRange);
export type ApiAuditListQuery = z.infer<typeof apiAuditListQuerySchema>;

/** The export's query string: a format and the same filters. */
export const auditExportQuerySchema = z.strictObject({ format: z.enum(auditExportFormats).describe("csv or jsonl (JSON Lines)."), ...filterShape }).superRefine(checkTimeRange);

/** One event as shown or served: every string has passed through encodeControlChars. */
export const auditEventSchema = z.object({
  id: z.number().int(),
  shard: z.number().int().describe("The sub-chain of the organization's trail the event was appended to (0 to 15)."),
  seq: z.number().int().describe("Position in its shard of the organization's hash chain, from 1."),
  occurredAt: z.string().describe("ISO 8601 UTC, millisecond precision"),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetLabel: z.string().nullable().describe("What the target was called when the event was written (order number, branch name, member email)."),
  branchId: z.uuid().nullable(),
  branchName: z.string().nullable().describe("The branch's current name."),
  outcome: auditOutcomeSchema,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditEventPageSchema = z.object({
  data: z.array(auditEventSchema),
  nextCursor: z.string().nullable().describe("Pass as `cursor` to get the next (older) page; null on the last page."),
});

/**
 * A signed checkpoint as stored: Ed25519 over checkpointMessage. Version 2: seq counts the events
 * covered and hash is the Merkle root of `heads` (each shard's [seq, hash]).
 */
export const auditCheckpointSchema = z.object({
  orgId: z.uuid().nullable(),
  seq: z.number().int(),
  hash: z.string(),
  signedAt: z.string().describe("ISO 8601 UTC"),
  keyId: z.string(),
  signature: z.string().describe("Base64 Ed25519 signature"),
  version: z.number().int().describe("1: one chain's head (seq, hash); 2: a Merkle root over the shard heads."),
  heads: z.array(z.tuple([z.number().int(), z.string()])).nullable().describe("Version 2: each shard's [seq, hash], in shard order."),
});
export type AuditCheckpoint = z.infer<typeof auditCheckpointSchema>;

/** The answer of a chain verification (lib/audit/verify-chain.ts ChainReport). */
export const chainReportSchema = z.object({
  orgId: z.uuid().nullable(),
  intact: z.boolean(),
  events: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable().describe("seq: the events verified; hash: the Merkle root of the verified shard heads."),
  shards: z.array(z.object({ shard: z.number().int(), seq: z.number().int(), hash: z.string() })),
  firstBrokenShard: z.number().int().nullable().describe("The shard of the first event that breaks; null when intact."),
  firstBrokenSeq: z.number().int().nullable().describe("The first sequence number in that shard where the chain no longer holds; null when intact."),
  problem: z.string().nullable(),
  checkpoints: z.object({
    total: z.number().int(),
    verified: z.number().int(),
    signaturesChecked: z.boolean(),
    latest: z.object({ seq: z.number().int(), hash: z.string(), signedAt: z.string(), keyId: z.string() }).nullable(),
  }),
});

export const auditPublicKeySchema = z.object({
  algorithm: z.literal("Ed25519"),
  keyId: z.string().describe("First 16 hex digits of the SHA-256 of the key (SPKI DER); checkpoints name it."),
  pem: z.string().describe("SubjectPublicKeyInfo PEM"),
});
export type ChainReportView = z.infer<typeof chainReportSchema>;
