import type { Executor } from "@/db/client";
import type { Principal } from "@/lib/core/context";
import { buildFilterConditions, visibleAuditCondition } from "./audit-conditions";
import { encodeControlCharsInLines, toCsvRecord, toJsonLine } from "./encode-control-chars";
import { findChainHeadSeqs, findLatestCheckpoint } from "./latest-checkpoint";
import { readAuditRows, type AuditEventRecord, type AuditKey } from "./read-audit-rows";
import { findBatchEnd, readJsonlBatch, type JsonlBatch } from "./read-jsonl-batch";
import type { AuditCheckpoint, AuditFilters } from "./schemas";

/** What an export is pinned to before its first row: the signed checkpoint and the chain head. */
export interface AuditExportSnapshot {
  orgId: string;
  checkpoint: AuditCheckpoint | null;
  /** The number of events in the chain when the export started (the sum of `throughHeads`). */
  throughSeq: number;
  /** Each shard's head seq when the export started: events appended after it are left out. */
  throughHeads: number[];
}

export interface AuditExportOptions {
  /** Rows per keyset query; only one batch is held in memory at a time. */
  batchSize?: number;
  /** Taken by a caller that wants the checkpoint up front (HTTP headers); else taken here. */
  snapshot?: AuditExportSnapshot;
  /**
   * Runs each batch's reads, e.g. in a transaction scoped for row-level security (the HTTP
   * export streams after its handler returned, so it cannot hold one transaction open).
   */
  read?: <T>(fn: (db: Executor) => Promise<T>) => Promise<T>;
}

/** Batches of a JSON Lines export being written at once (each on a connection of its own). */
const EXPORT_BATCHES_AHEAD = 2;

/**
 * Pins an export: the latest checkpoint and the current head. The trail is append-only, so every
 * row up to the head stays exactly as it is, and the batches read one consistent set without
 * holding a transaction open for the whole download.
 */
export async function takeAuditExportSnapshot(db: Executor, principal: Principal): Promise<AuditExportSnapshot> {
  visibleAuditCondition(principal); // refuses a principal without audit:read before anything is read
  const orgId = principal.org!.id;
  const [checkpoint, throughHeads] = await Promise.all([findLatestCheckpoint(db, orgId), findChainHeadSeqs(db, orgId)]);
  return { orgId, checkpoint, throughSeq: throughHeads.reduce((a, b) => a + b, 0), throughHeads };
}

/**
 * The filtered events the principal may read, oldest first (chain order), as JSON Lines: a
 * checkpoint line, one line per event with its exact stored values (seq, hash and prevHash
 * included, so anyone can recompute each hash), then an end line with the count.
 * Works for a member (their audit:read scope) and for the operator (systemPrincipal with an org).
 */
export async function* exportAuditJsonl(db: Executor, principal: Principal, filters: AuditFilters, options: AuditExportOptions = {}): AsyncGenerator<string> {
  const snapshot = options.snapshot ?? (await takeAuditExportSnapshot(db, principal));
  yield toJsonLine({ type: "checkpoint", ...checkpointFields(snapshot) });
  let events = 0;
  const read = options.read ?? ((fn) => fn(db));
  const conditions = [visibleAuditCondition(principal), ...(await read((tx) => buildFilterConditions(tx, snapshot.orgId, filters)))];
  const limit = options.batchSize ?? 10_000;
  // Each batch's lines come from PostgreSQL as one string (read-jsonl-batch.ts): no row objects.
  // Writing the lines is most of an export's cost, and PostgreSQL writes them on one core per
  // connection: so each batch's end is found first (a cheap walk of the index), and the next
  // batch is written by another connection while this one is being sent. At most
  // EXPORT_BATCHES_AHEAD batches are held, so a slow download still never piles rows up.
  const pending: Array<Promise<JsonlBatch>> = [];
  let after: AuditKey | undefined;
  let lastRange = false;
  const ask = async () => {
    const through = await read((tx) => findBatchEnd(tx, conditions, { after, throughHeads: snapshot.throughHeads, limit }));
    const range = { after, through: through ?? undefined, throughHeads: snapshot.throughHeads, limit };
    const batch = read((tx) => readJsonlBatch(tx, conditions, range));
    // Awaited in order below; until then a failure must not count as unhandled.
    batch.catch(() => {});
    pending.push(batch);
    if (through === null) lastRange = true;
    else after = through;
  };
  while (!lastRange || pending.length > 0) {
    while (!lastRange && pending.length < EXPORT_BATCHES_AHEAD) await ask();
    const batch = await pending.shift()!;
    events += batch.count;
    if (batch.count > 0) yield encodeControlCharsInLines(batch.text);
  }
  yield toJsonLine({ type: "end", events, throughSeq: snapshot.throughSeq });
}

const CSV_COLUMNS = [
  "record_type", "seq", "occurred_at", "actor_type", "actor_id", "actor_label", "action", "target_type", "target_id", "branch_id", "outcome",
  "ip", "user_agent", "request_id", "metadata", "prev_hash", "hash", "key_id", "signature",
  // Added with shards (ADR 0010), last so that existing readers of the columns above keep working.
  "shard", "target_label",
] as const;
type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>>;

/**
 * The same export as CSV for spreadsheets: one header, then records in a single column layout
 * told apart by record_type. The first is the checkpoint (seq, hash, occurred_at = signed at,
 * key_id, signature), then the events, then "end" (seq = the head the export stopped at,
 * metadata = {"events": n}). Text is encoded against control characters and formula injection;
 * JSON Lines is the format for re-verifying hashes.
 */
export async function* exportAuditCsv(db: Executor, principal: Principal, filters: AuditFilters, options: AuditExportOptions = {}): AsyncGenerator<string> {
  const snapshot = options.snapshot ?? (await takeAuditExportSnapshot(db, principal));
  const cp = snapshot.checkpoint;
  yield CSV_COLUMNS.join(",") + "\r\n";
  yield csvRow({ record_type: "checkpoint", seq: cp?.seq ?? null, occurred_at: cp?.signedAt ?? null, hash: cp?.hash ?? null, key_id: cp?.keyId ?? null, signature: cp?.signature ?? null });
  let events = 0;
  for await (const batch of readExportBatches(db, principal, filters, snapshot, options)) {
    events += batch.length;
    yield batch.map((r) => csvRow(csvEventRow(r))).join("");
  }
  yield csvRow({ record_type: "end", seq: snapshot.throughSeq, metadata: JSON.stringify({ events }) });
}

/** The checkpoint as exported; the signature covers checkpointMessage({ orgId, seq, hash, signedAt }). */
export function checkpointFields(snapshot: AuditExportSnapshot) {
  const cp = snapshot.checkpoint;
  return { orgId: snapshot.orgId, seq: cp?.seq ?? null, hash: cp?.hash ?? null, signedAt: cp?.signedAt ?? null, keyId: cp?.keyId ?? null, signature: cp?.signature ?? null };
}

async function* readExportBatches(
  db: Executor,
  principal: Principal,
  filters: AuditFilters,
  snapshot: AuditExportSnapshot,
  options: AuditExportOptions,
): AsyncGenerator<AuditEventRecord[]> {
  const batchSize = options.batchSize ?? 10_000;
  const read = options.read ?? ((fn) => fn(db));
  const conditions = [visibleAuditCondition(principal), ...(await read((tx) => buildFilterConditions(tx, snapshot.orgId, filters)))];
  let after: AuditEventRecord | undefined;
  for (;;) {
    const batch = await read((tx) => readAuditRows(tx, conditions, { order: "asc", after, throughHeads: snapshot.throughHeads, limit: batchSize }));
    if (batch.length > 0) yield batch;
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1];
  }
}

function csvEventRow(r: AuditEventRecord): CsvRow {
  return {
    record_type: "event", seq: r.seq, occurred_at: r.occurredAt, actor_type: r.actorType, actor_id: r.actorId, actor_label: r.actorLabel,
    action: r.action, target_type: r.targetType, target_id: r.targetId, shard: r.shard, target_label: r.targetLabel, branch_id: r.branchId, outcome: r.outcome, ip: r.ip,
    user_agent: r.userAgent, request_id: r.requestId, metadata: JSON.stringify(r.metadata), prev_hash: r.prevHash, hash: r.hash,
  };
}

function csvRow(row: CsvRow): string {
  return toCsvRecord(CSV_COLUMNS.map((c) => row[c] ?? null));
}
