import type { Executor } from "@/db/client";
import type { Actor, RequestMeta } from "@/lib/core/context";
import { normalizeMetadata } from "./canonical-json";
import { checkpointInterval, writeCheckpoint } from "./checkpoint";
import { rawSqlOf } from "./raw-sql";

export type AuditOutcome = "success" | "denied" | "failure";

export interface AuditEventInput {
  orgId: string | null;
  actor: Actor;
  action: string;
  /** `label` is what a reader sees (order number, branch name, member email), kept as it was then. */
  target?: { type: string; id: string; label?: string | null | undefined } | undefined;
  branchId?: string | null | undefined;
  outcome: AuditOutcome;
  meta: RequestMeta;
  metadata?: Record<string, unknown> | undefined;
}

const APPEND = `select shard, seq::text as seq, hash, checkpoint_due
  from audit_append($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9::uuid, $10, $11, $12, $13, $14::jsonb, $15::int)`;

export interface AppendedEvent {
  shard: number;
  seq: number;
  hash: string;
  /** The append completed a shard's interval of AUDIT_CHECKPOINT_EVERY events: sign the heads. */
  checkpointDue: boolean;
}

/**
 * Appends one event to a shard of its org's chain on the given executor, so it commits or rolls
 * back with the change it records. One prepared call of audit_append() (migration 0016): it
 * picks a free shard, links to its head and hashes the event in the database, in one round trip.
 * When a checkpoint is due it is signed in this same transaction.
 */
export async function appendAuditEvent(tx: Executor, event: AuditEventInput): Promise<AppendedEvent> {
  const appended = await sendAuditAppend(tx, event);
  // Every N events of a shard, the chain's heads are signed in this same transaction.
  if (appended.checkpointDue) await writeCheckpoint(tx, event.orgId);
  return appended;
}

/**
 * Sends the append without waiting for its answer, so that the command wrapper's COMMIT goes out
 * right behind it and the two share one round trip (docs/adr/0010). The caller must await the
 * promise after the transaction settles: PostgreSQL turns the COMMIT of a transaction whose append
 * failed into a ROLLBACK, so the change and its event still commit together or not at all, and
 * the rejection says why. The caller also signs a due checkpoint after commit.
 */
export function sendAuditAppend(tx: Executor, event: AuditEventInput): Promise<AppendedEvent> {
  // A named prepared statement: parsed and planned once per connection, then one round trip.
  const sent = rawSqlOf(tx).unsafe<Array<{ shard: number; seq: string; hash: string; checkpoint_due: boolean }>>(
    APPEND,
    [
      event.orgId, event.actor.type, actorIdOf(event.actor), event.actor.label, event.action, event.target?.type ?? null,
      event.target?.id ?? null, event.target?.label ?? null, event.branchId ?? null, event.outcome, event.meta.ip, event.meta.userAgent,
      event.meta.requestId, JSON.stringify(normalizeMetadata(event.metadata)), checkpointInterval(),
    ],
    { prepare: true },
  );
  const appended = sent.then(([row]) => ({ shard: Number(row!.shard), seq: Number(row!.seq), hash: row!.hash, checkpointDue: row!.checkpoint_due }));
  // Observed here so that a failure the caller has not awaited yet is never an unhandled rejection.
  appended.catch(() => {});
  return appended;
}

function actorIdOf(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "api-token" || actor.type === "scim") return actor.tokenId;
  if (actor.type === "channel") return actor.channelId;
  return null;
}
