import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { Actor, RequestMeta } from "@/lib/core/context";
import { normalizeMetadata } from "./canonical-json";
import { CHAIN_ZERO, checkpointInterval, writeCheckpoint } from "./checkpoint";
import { GENESIS_HASH, hashEvent } from "./hash-event";

export type AuditOutcome = "success" | "denied" | "failure";

export interface AuditEventInput {
  orgId: string | null;
  actor: Actor;
  action: string;
  target?: { type: string; id: string } | undefined;
  branchId?: string | null | undefined;
  outcome: AuditOutcome;
  meta: RequestMeta;
  metadata?: Record<string, unknown> | undefined;
}

// Transaction-scoped advisory lock per chain: appends to one org's chain queue up, so two
// writers can never both extend the same head (a fork); other orgs are not held up.
const CHAIN_LOCK_CLASS = 727_274_002;

/**
 * Appends one event to its org's hash chain on the given executor, so it commits or rolls back
 * with the change it records. Called only by the command wrapper.
 */
export async function appendAuditEvent(tx: Executor, event: AuditEventInput): Promise<{ seq: number; hash: string }> {
  const chainKey = event.orgId ?? "global";
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_CLASS}, hashtext(${chainKey}))`);
  // The global chain (events with no org, such as a sign-out) belongs to no tenant, so
  // row-level security would hide its head. Only this append lifts the wall, and puts it back.
  const lift = event.orgId === null ? await liftTenantWall(tx) : null;
  const [head] = await tx.execute<{ seq: string | null; hash: string | null; now: string }>(sql`
    select h.seq::text as seq, h.hash,
           to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now
    from (select 1) one
    left join lateral (
      select seq, hash from audit_events
      where coalesce(org_id, ${CHAIN_ZERO}::uuid) = coalesce(${event.orgId}::uuid, ${CHAIN_ZERO}::uuid)
      order by seq desc limit 1) h on true`);
  const fields = {
    orgId: event.orgId,
    seq: head?.seq ? Number(head.seq) + 1 : 1,
    occurredAt: new Date(head!.now),
    actorType: event.actor.type,
    actorId: actorIdOf(event.actor),
    actorLabel: event.actor.label,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    branchId: event.branchId ?? null,
    outcome: event.outcome,
    ip: event.meta.ip,
    userAgent: event.meta.userAgent,
    requestId: event.meta.requestId,
    metadata: normalizeMetadata(event.metadata),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = hashEvent(fields);
  await tx.insert(auditEvents).values({ ...fields, hash });
  if (fields.seq % checkpointInterval() === 0) await writeCheckpoint(tx, { orgId: event.orgId, seq: fields.seq, hash });
  if (lift) await lift();
  return { seq: fields.seq, hash };
}

async function liftTenantWall(tx: Executor): Promise<() => Promise<void>> {
  const [row] = await tx.execute<{ previous: string }>(sql`select coalesce(current_setting('countersign.bypass', true), '') as previous, set_config('countersign.bypass', 'on', true)`);
  return async () => {
    await tx.execute(sql`select set_config('countersign.bypass', ${row?.previous ?? ""}, true)`);
  };
}

function actorIdOf(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "api-token") return actor.tokenId;
  return null;
}
