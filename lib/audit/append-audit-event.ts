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

/**
 * Appends one event to a shard of its org's chain on the given executor, so it commits or rolls
 * back with the change it records. One prepared call of audit_append() (migration 0016): it
 * picks a free shard, links to its head and hashes the event in the database, in one round trip.
 * Called only by the command wrapper.
 */
export async function appendAuditEvent(tx: Executor, event: AuditEventInput): Promise<{ shard: number; seq: number; hash: string }> {
  const every = checkpointInterval();
  // A named prepared statement: parsed and planned once per connection, then one round trip.
  const [row] = await rawSqlOf(tx).unsafe<Array<{ shard: number; seq: string; hash: string; checkpoint_due: boolean }>>(
    APPEND,
    [
      event.orgId, event.actor.type, actorIdOf(event.actor), event.actor.label, event.action, event.target?.type ?? null,
      event.target?.id ?? null, event.target?.label ?? null, event.branchId ?? null, event.outcome, event.meta.ip, event.meta.userAgent,
      event.meta.requestId, JSON.stringify(normalizeMetadata(event.metadata)), every,
    ],
    { prepare: true },
  );
  const appended = { shard: Number(row!.shard), seq: Number(row!.seq), hash: row!.hash };
  // Every N events of a shard, the chain's heads are signed in this same transaction.
  if (row!.checkpoint_due) await writeCheckpoint(tx, event.orgId);
  return appended;
}

function actorIdOf(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "api-token") return actor.tokenId;
  return null;
}
