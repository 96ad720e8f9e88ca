import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { organizations } from "./organizations";

/**
 * The audit trail: one hash chain per organization (events with no org, such as a failed
 * sign-in for an unknown email, form a "global" chain). Each row carries its chain's sequence
 * number, the previous row's hash and its own (lib/audit/hash-event.ts). Triggers make the table
 * append-only and the app's role may only INSERT and SELECT (db/migrations/0001_audit_chain.sql).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "restrict" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    // The database clock after the chain lock is held, so time never runs backwards along a chain.
    // Millisecond precision, so the value hashed in JavaScript is exactly the value stored.
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** The branch the target belongs to, so the trail can be filtered by part of the tree. */
    branchId: uuid("branch_id"),
    outcome: text("outcome").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [
    uniqueIndex("audit_events_chain_seq_uq").on(sql`coalesce(${t.orgId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.seq),
    index("audit_events_org_time_idx").on(t.orgId, t.occurredAt, t.id),
    index("audit_events_org_action_idx").on(t.orgId, t.action, t.occurredAt, t.id),
    index("audit_events_org_actor_idx").on(t.orgId, t.actorId, t.occurredAt, t.id),
    index("audit_events_org_target_idx").on(t.orgId, t.targetId, t.occurredAt, t.id),
  ],
);

/** Signed chain heads: Ed25519 over (org, seq, hash, time), so an outsider can check the trail. */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "restrict" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    signedAt: timestamp("signed_at", { withTimezone: true, precision: 3 }).notNull(),
    keyId: text("key_id").notNull(),
    signature: text("signature").notNull(),
  },
  (t) => [index("audit_checkpoints_chain_idx").on(sql`coalesce(${t.orgId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.seq)],
);
