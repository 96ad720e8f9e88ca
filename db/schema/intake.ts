import { sql } from "drizzle-orm";
import { bigint, check, customType, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { users } from "./identity";
import { orders } from "./orders";
import { branches, organizations } from "./organizations";

/** Raw bytes, as Buffers: a payload is kept exactly as it arrived (docs/adr/0026-intake-inbox.md). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const intakeFormat = pgEnum("intake_format", ["json", "csv", "x12-850", "cxml", "ubl", "edifact", "shopify"]);
export const intakeChannelStatus = pgEnum("intake_channel_status", ["active", "disabled"]);
export const intakeMessageStatus = pgEnum("intake_message_status", ["received", "processing", "done", "dead_letter"]);
export const intakeDocumentStatus = pgEnum("intake_document_status", ["created", "updated", "duplicate", "held", "rejected", "dead_letter"]);
export const intakeDeadLetterState = pgEnum("intake_dead_letter_state", ["open", "replayed", "discarded"]);

/** A channel's validation rules; every key is optional and a missing one means the safe default. */
export interface IntakeRules {
  unknownSku?: "reject" | "accept";
  onTotalMismatch?: "hold" | "accept" | "reject";
  shipToUnknown?: "reject" | "hold";
  /** ISO 4217 codes allowed; absent means the account's own currencies. */
  currencies?: string[];
  /** How far in the past / future a requested date may lie, in days. */
  dateWindowDays?: { past?: number; future?: number };
}

/** A `{ code, message, location }` reason, the same shape everywhere a payload is refused. */
export interface IntakeReason {
  code: string;
  message: string;
  location?: string | null;
}

/**
 * One way orders reach the supplier (issue 14). The row is the supplier's; its credentials are a
 * bearer token stored as a SHA-256 hash, and for cXML / Shopify a shared secret sealed with
 * AES-256-GCM bound to the channel id (lib/mfa/secret-box.ts): the HMAC and the cXML check need
 * it in clear, so it cannot be a hash.
 */
export const intakeChannels = pgTable(
  "intake_channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    format: intakeFormat("format").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    secretSealed: text("secret_sealed"),
    defaultAccountId: uuid("default_account_id").references(() => accounts.orgId, { onDelete: "set null" }),
    defaultBranchId: uuid("default_branch_id").references(() => branches.id, { onDelete: "set null" }),
    rules: jsonb("rules").$type<IntakeRules>().notNull().default({}),
    // CSV only: canonical field → column header.
    csvMapping: jsonb("csv_mapping").$type<Record<string, string>>(),
    maxBodyBytes: integer("max_body_bytes").notNull().default(1_048_576),
    // Backpressure: past this many open (received / processing) messages, acceptance answers 429.
    maxDepth: integer("max_depth").notNull().default(10_000),
    // A channel silent for longer than this is flagged on its health page; null = never expected.
    expectedIntervalSeconds: integer("expected_interval_seconds"),
    status: intakeChannelStatus("status").notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("intake_channels_org_idx").on(t.orgId),
    check("intake_channels_max_body_bytes", sql`${t.maxBodyBytes} between 1 and 104857600`),
    check("intake_channels_max_depth", sql`${t.maxDepth} >= 1`),
    check("intake_channels_expected_interval", sql`${t.expectedIntervalSeconds} is null or ${t.expectedIntervalSeconds} > 0`),
  ],
);

/** Which sender or party id (ISA/GS id, cXML From, Peppol endpoint, GLN, Shopify shop) is which account and branch. */
export const intakeChannelMappings = pgTable(
  "intake_channel_mappings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => intakeChannels.id, { onDelete: "cascade" }),
    senderId: text("sender_id").notNull(),
    accountId: uuid("account_id").notNull().references(() => accounts.orgId, { onDelete: "cascade" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "set null" }),
    // Per-account overrides of the channel's rules (each change audited as intake.rules.changed).
    rules: jsonb("rules").$type<IntakeRules>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("intake_channel_mappings_sender_uq").on(t.channelId, t.senderId), index("intake_channel_mappings_org_idx").on(t.orgId)],
);

/** A buyer's (or vendor's) part number, per channel and account, for one of our SKUs. */
export const intakeXrefs = pgTable(
  "intake_xrefs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => intakeChannels.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => accounts.orgId, { onDelete: "cascade" }),
    buyerPart: text("buyer_part").notNull(),
    sku: text("sku").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("intake_xrefs_part_uq").on(t.channelId, t.accountId, t.buyerPart), index("intake_xrefs_org_idx").on(t.orgId)],
);

/**
 * The durable inbox: every accepted payload, stored raw in the transaction that answers 202. The
 * bytes, headers, channel and hash never change after insert (a trigger refuses it); only the
 * processing columns move. The same bytes on the same channel are the same message.
 */
export const intakeMessages = pgTable(
  "intake_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => intakeChannels.id, { onDelete: "cascade" }),
    raw: bytea("raw").notNull(),
    rawSha256: text("raw_sha256").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    // Known once parsed (the worker fills it); acceptance never parses.
    sender: text("sender"),
    receivedAt: timestamp("received_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    status: intakeMessageStatus("status").notNull().default("received"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lastError: jsonb("last_error").$type<IntakeReason>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("intake_messages_raw_uq").on(t.channelId, t.rawSha256),
    // Backpressure counts a channel's open messages; health reads the oldest one (lag).
    index("intake_messages_open_idx").on(t.channelId, t.receivedAt).where(sql`${t.status} in ('received', 'processing')`),
    index("intake_messages_org_received_idx").on(t.orgId, t.receivedAt, t.id),
  ],
);

/** One document (order) of a message, with its own outcome and idempotency key. */
export const intakeDocuments = pgTable(
  "intake_documents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => intakeChannels.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").notNull().references(() => intakeMessages.id, { onDelete: "cascade" }),
    index: integer("index").notNull(),
    documentNumber: text("document_number"),
    sender: text("sender"),
    // SHA-256 of the normalised order (lib/intake/normalized-hash.ts), not of the bytes.
    contentHash: text("content_hash"),
    status: intakeDocumentStatus("status").notNull(),
    orderId: uuid("order_id").references(() => orders.id, { onDelete: "set null" }),
    accountId: uuid("account_id").references(() => accounts.orgId, { onDelete: "set null" }),
    flags: text("flags").array().notNull().default(sql`'{}'::text[]`),
    reason: jsonb("reason").$type<IntakeReason>(),
    valueMinor: bigint("value_minor", { mode: "number" }),
    currency: text("currency"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("intake_documents_message_index_uq").on(t.messageId, t.index),
    // The idempotency key (issue 14): the same order from the same sender is one document.
    uniqueIndex("intake_documents_idempotency_uq").on(t.channelId, t.sender, t.documentNumber, t.contentHash),
    index("intake_documents_number_idx").on(t.channelId, t.sender, t.documentNumber),
    index("intake_documents_order_idx").on(t.orderId),
    // A channel's documents over a time window (the Intake page's health and throughput chart).
    // Migration 0030 adds INCLUDE (status, org_id), which this builder cannot say, so the window
    // is counted on the index alone (row-level security's policy reads org_id).
    index("intake_documents_channel_created_idx").on(t.channelId, t.createdAt),
  ],
);

/** A message (or one of its documents) that could not be processed: kept until replayed or discarded. */
export const intakeDeadLetters = pgTable(
  "intake_dead_letters",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => intakeChannels.id, { onDelete: "cascade" }),
    messageId: uuid("message_id").notNull().references(() => intakeMessages.id, { onDelete: "cascade" }),
    // Null: the whole message failed (it did not parse into documents).
    documentIndex: integer("document_index"),
    reason: jsonb("reason").$type<IntakeReason>().notNull(),
    impact: numeric("impact", { precision: 20, scale: 4 }).notNull().default("0"),
    state: intakeDeadLetterState("state").notNull().default("open"),
    discardReason: text("discard_reason"),
    resolvedBy: uuid("resolved_by").references(() => users.id, { onDelete: "set null" }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    correctedPayload: bytea("corrected_payload"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("intake_dead_letters_open_idx").on(t.orgId, t.impact, t.id).where(sql`${t.state} = 'open'`),
    index("intake_dead_letters_message_idx").on(t.messageId),
    check("intake_dead_letters_discard_reason", sql`${t.state} <> 'discarded' or ${t.discardReason} is not null`),
  ],
);
