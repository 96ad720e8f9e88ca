import { bigint, bigserial, index, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { organizations } from "./organizations";

/**
 * The audit trail: one chain per organization (events with no org, such as a failed sign-in for
 * an unknown email, form a "global" chain), each split into AUDIT_SHARDS sub-chains so writers
 * of one org do not queue behind one lock (docs/adr/0010). Each row carries its shard, its
 * sequence number within the shard, the previous row's hash there and its own
 * (lib/audit/hash-event.ts). Rows are appended only by audit_append() (migration
 * 0016_audit_shards). Triggers make the table append-only and the app's role may only INSERT and
 * SELECT (db/migrations/0001).
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "restrict" }),
    /** The sub-chain (0..15) the event was appended to; a lone writer always gets shard 0. */
    shard: smallint("shard").notNull().default(0),
    seq: bigint("seq", { mode: "number" }).notNull(),
    /** 1: canonical JSON hashed in JavaScript (before shards); 2: audit_append's field encoding. */
    hashVersion: smallint("hash_version").notNull().default(1),
    // The database clock after the shard lock is held, so time never runs backwards along a chain.
    // Millisecond precision, so the value hashed in JavaScript is exactly the value stored.
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 3 }).notNull(),
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id"),
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    /** What the target was called when the event was written (order number, branch name, email). */
    targetLabel: text("target_label"),
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
    uniqueIndex("audit_events_chain_shard_seq_uq").on(sql`coalesce(${t.orgId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.shard, t.seq),
    index("audit_events_org_time_idx").on(t.orgId, t.occurredAt, t.id),
    index("audit_events_org_action_idx").on(t.orgId, t.action, t.occurredAt, t.id),
    index("audit_events_org_actor_idx").on(t.orgId, t.actorId, t.occurredAt, t.id),
    index("audit_events_org_target_idx").on(t.orgId, t.targetId, t.occurredAt, t.id),
    // A member's last sign-in (their page): one probe, however long the trail.
    index("audit_events_last_signin_idx").on(t.orgId, t.actorId, t.occurredAt).where(sql`${t.action} = 'auth.signin.succeeded'`),
  ],
);

/**
 * Signed chain heads, so an outsider can check the trail. Version 1 (before shards): Ed25519 over
 * (org, seq, hash, time) of the one chain. Version 2: `heads` holds every shard's [seq, hash],
 * `hash` is their Merkle root and `seq` the number of events they cover; the signature covers
 * (org, events, root, time) (lib/audit/checkpoint.ts).
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").references(() => organizations.id, { onDelete: "restrict" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    version: smallint("version").notNull().default(1),
    heads: jsonb("heads").$type<Array<[number, string]>>(),
    signedAt: timestamp("signed_at", { withTimezone: true, precision: 3 }).notNull(),
    keyId: text("key_id").notNull(),
    signature: text("signature").notNull(),
  },
  (t) => [index("audit_checkpoints_chain_idx").on(sql`coalesce(${t.orgId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.seq)],
);
