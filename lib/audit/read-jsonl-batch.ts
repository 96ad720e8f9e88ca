import { and, asc, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditEvents } from "@/db/schema";
import type { AuditKey } from "./read-audit-rows";

/** One batch of the JSON Lines export, written by PostgreSQL: the lines and where the batch ended. */
export interface JsonlBatch {
  /** The events' lines, each ending in "\n", before encodeControlCharsInLines. */
  text: string;
  count: number;
  last: AuditKey | null;
}

/**
 * The event's JSON Lines record with the fields, names and order of the export's writer before
 * (tests/integration/audit-export-jsonl.test.ts keeps that writer as the reference): row_to_json
 * writes no whitespace, escapes strings as JSON.stringify does (", \, and every control character
 * below U+0020: \b \f \n \r \t by name, the rest as lowercase \u00xx), writes a json value as its
 * text, so `metadata` is the stored jsonb text and `metadataText` that text as a string. What
 * JSON.stringify leaves raw (DEL, C1, U+2028...) encodeControlCharsInLines takes after. One call
 * per row (to_json per field costs PostgreSQL about twice as much).
 */
const e = auditEvents;
// The record's fields as named in the export, in its order (a lateral row per event, so that
// row_to_json names them; columns qualified, as r has an "id" of its own).
const record = sql`(select 'event'::text as "type", ${e.id} as "id", ${e.orgId} as "orgId", ${e.shard} as "shard", ${e.seq} as "seq",
  to_char(${e.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "occurredAt", ${e.actorType} as "actorType", ${e.actorId} as "actorId",
  ${e.actorLabel} as "actorLabel", ${e.action} as "action", ${e.targetType} as "targetType", ${e.targetId} as "targetId", ${e.targetLabel} as "targetLabel",
  ${e.branchId} as "branchId", ${e.outcome} as "outcome", ${e.ip} as "ip", ${e.userAgent} as "userAgent", ${e.requestId} as "requestId",
  m.t::json as "metadata", m.t as "metadataText", ${e.hashVersion} as "hashVersion", ${e.prevHash} as "prevHash", ${e.hash} as "hash")`;

/** The keyset conditions of a batch: strictly after `after`, up to `through` included, within the pinned heads. */
function rangeConditions(conditions: SQL[], options: { after: AuditKey | undefined; through?: AuditKey | undefined; throughHeads: number[] }): SQL[] {
  const where = [...conditions, sql`${e.seq} <= (${`{${options.throughHeads.join(",")}}`}::bigint[])[${e.shard} + 1]`];
  if (options.after) where.push(sql`(${e.occurredAt}, ${e.id}) > (${options.after.occurredAt}::timestamptz, ${options.after.id}::bigint)`);
  if (options.through) where.push(sql`(${e.occurredAt}, ${e.id}) <= (${options.through.occurredAt}::timestamptz, ${options.through.id}::bigint)`);
  return where;
}

/**
 * Reads the next `limit` events in chain-export order ((occurred_at, id) ascending, strictly
 * after `after`, up to `through` when given) under `conditions` (the visibility condition and the
 * filters, exactly as the other exports use them) and the snapshot's shard heads: one text column
 * per event, by the (org, occurred_at, id) index, with no sort of its own (an ordered string_agg
 * cost 40% more).
 */
export async function readJsonlBatch(
  db: Executor,
  conditions: SQL[],
  options: { after: AuditKey | undefined; through?: AuditKey | undefined; throughHeads: number[]; limit: number },
): Promise<JsonlBatch> {
  const rows = await db
    .select({ line: sql<string>`row_to_json(r)::text` })
    .from(sql`${e} cross join lateral (select ${e.metadata}::text as t) m cross join lateral ${record} r`)
    .where(and(...rangeConditions(conditions, options)))
    .orderBy(asc(e.occurredAt), asc(e.id))
    .limit(options.limit);
  if (rows.length === 0) return { text: "", count: 0, last: null };
  // The next batch starts after the last event: its key is in its own line.
  const last = JSON.parse(rows[rows.length - 1]!.line) as { occurredAt: string; id: number };
  return { text: rows.map((r) => r.line).join("\n") + "\n", count: rows.length, last: { occurredAt: last.occurredAt, id: last.id } };
}

/**
 * The key of the `limit`-th event after `after` (under the same conditions), or null when fewer
 * are left: where a batch ends, known before its lines are written, so that the next batch can
 * be written by another connection at the same time. It walks the same index and writes no
 * line, so it costs a small part of the batch itself.
 */
export async function findBatchEnd(db: Executor, conditions: SQL[], options: { after: AuditKey | undefined; throughHeads: number[]; limit: number }): Promise<AuditKey | null> {
  const [row] = await db
    .select({ occurredAt: sql<string>`to_char(${e.occurredAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, id: e.id })
    .from(e)
    .where(and(...rangeConditions(conditions, options)))
    .orderBy(asc(e.occurredAt), asc(e.id))
    .offset(options.limit - 1)
    .limit(1);
  return row ? { occurredAt: row.occurredAt, id: Number(row.id) } : null;
}
