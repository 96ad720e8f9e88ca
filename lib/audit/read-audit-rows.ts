import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents, branches } from "@/db/schema";
import type { AuditOutcome } from "./append-audit-event";

/** One event exactly as stored (no encoding): what the hash covers, plus its branch's name. */
export interface AuditEventRecord {
  id: number;
  orgId: string | null;
  shard: number;
  seq: number;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  branchId: string | null;
  branchName: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
  /** The metadata's jsonb text, exactly what hash version 2 covers. */
  metadataText: string;
  hashVersion: number;
  prevHash: string;
  hash: string;
}

/** A keyset position: the (occurred_at, id) of the last row read. */
export interface AuditKey {
  occurredAt: string;
  id: number;
}

export interface AuditReadOptions {
  /** Newest first (the screens) or oldest first (exports, chain order). */
  order: "asc" | "desc";
  /** Rows strictly after this key in `order`. */
  after?: AuditKey | undefined;
  /**
   * Exports stop at the shard heads seen when they started (seq per shard, in shard order), so
   * rows appended meanwhile never join.
   */
  throughHeads?: number[] | undefined;
  limit: number;
}

/**
 * Reads one batch of events. Every index on audit_events ends in (occurred_at, id), so the row
 * comparison below walks an index and a deep page costs what the first one does.
 */
export async function readAuditRows(db: Executor, conditions: SQL[], options: AuditReadOptions): Promise<AuditEventRecord[]> {
  const where = [...conditions];
  if (options.after) {
    const key = sql`(${options.after.occurredAt}::timestamptz, ${options.after.id}::bigint)`;
    where.push(options.order === "desc" ? sql`(${auditEvents.occurredAt}, ${auditEvents.id}) < ${key}` : sql`(${auditEvents.occurredAt}, ${auditEvents.id}) > ${key}`);
  }
  if (options.throughHeads !== undefined) where.push(sql`${auditEvents.seq} <= (${`{${options.throughHeads.join(",")}}`}::bigint[])[${auditEvents.shard} + 1]`);
  const direction = options.order === "desc" ? desc : asc;
  const rows = await db
    .select({
      id: auditEvents.id,
      orgId: auditEvents.orgId,
      shard: auditEvents.shard,
      seq: auditEvents.seq,
      occurredAt: sql<string>`to_char(${auditEvents.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      targetLabel: auditEvents.targetLabel,
      branchId: auditEvents.branchId,
      branchName: branches.name,
      outcome: auditEvents.outcome,
      ip: auditEvents.ip,
      userAgent: auditEvents.userAgent,
      requestId: auditEvents.requestId,
      metadata: auditEvents.metadata,
      metadataText: sql<string>`${auditEvents.metadata}::text`,
      hashVersion: auditEvents.hashVersion,
      prevHash: auditEvents.prevHash,
      hash: auditEvents.hash,
    })
    .from(auditEvents)
    .leftJoin(branches, and(eq(branches.id, auditEvents.branchId), eq(branches.orgId, auditEvents.orgId)))
    .where(and(...where))
    .orderBy(direction(auditEvents.occurredAt), direction(auditEvents.id))
    .limit(options.limit);
  return rows.map((r) => ({ ...r, outcome: r.outcome as AuditOutcome }));
}
