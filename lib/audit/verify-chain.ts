import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { CHAIN_ZERO, checkpointMessage } from "./checkpoint";
import { GENESIS_HASH, hashEvent } from "./hash-event";
import { loadVerificationKey, verifyMessage } from "./signing-key";

export interface ChainReport {
  orgId: string | null;
  intact: boolean;
  events: number;
  head: { seq: number; hash: string } | null;
  /** The first sequence number where the chain no longer holds, or null when intact. */
  firstBrokenSeq: number | null;
  problem: string | null;
  /** Signatures are checked only when a key is configured (AUDIT_PUBLIC_KEY or the signing key). */
  checkpoints: { total: number; verified: number; signaturesChecked: boolean; latest: { seq: number; hash: string; signedAt: string; keyId: string } | null };
}

type Row = {
  id: string;
  seq: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  branch_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  metadata: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};

/**
 * Recomputes one chain from its first event and checks every signed checkpoint. It reports the
 * first sequence number that breaks: a changed row (its hash no longer matches), a deleted row (a
 * gap in the sequence), an inserted or re-linked row (its previous hash is not the one before
 * it), or a rewritten stretch that no longer matches a signed checkpoint.
 */
export async function verifyChain(db: Executor, orgId: string | null, { batchSize = 5000 } = {}): Promise<ChainReport> {
  const chain = sql`coalesce(org_id, ${CHAIN_ZERO}::uuid) = coalesce(${orgId}::uuid, ${CHAIN_ZERO}::uuid)`;
  const checkpoints = await db.execute<{ seq: string; hash: string; signed_at: string; key_id: string; signature: string }>(sql`
    select seq::text, hash, to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at, key_id, signature
    from audit_checkpoints where ${chain} order by audit_checkpoints.seq`);
  const checkpointSeqs = new Set(checkpoints.map((c) => Number(c.seq)));
  const hashAt = new Map<number, string>();

  let expected = 1;
  let prevHash = GENESIS_HASH;
  let broken: { seq: number; problem: string } | null = null;
  let lastSeq = 0;
  scan: for (;;) {
    const rows = await db.execute<Row>(sql`
      select id::text, seq::text, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
             actor_type, actor_id, actor_label, action, target_type, target_id, branch_id, outcome, ip, user_agent,
             request_id, metadata, prev_hash, hash
      from audit_events where ${chain} and audit_events.seq > ${lastSeq} order by audit_events.seq limit ${batchSize}`);
    if (rows.length === 0) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      lastSeq = seq;
      if (seq !== expected) {
        broken = { seq: expected, problem: `event ${expected} is missing (deleted)` };
        break scan;
      }
      if (r.prev_hash !== prevHash) {
        broken = { seq, problem: `event ${seq} does not link to event ${seq - 1} (inserted or re-linked)` };
        break scan;
      }
      const recomputed = hashEvent({
        orgId,
        seq,
        occurredAt: new Date(r.occurred_at),
        actorType: r.actor_type,
        actorId: r.actor_id,
        actorLabel: r.actor_label,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        branchId: r.branch_id,
        outcome: r.outcome,
        ip: r.ip,
        userAgent: r.user_agent,
        requestId: r.request_id,
        metadata: r.metadata,
        prevHash: r.prev_hash,
      });
      if (recomputed !== r.hash) {
        broken = { seq, problem: `event ${seq} was changed after it was written` };
        break scan;
      }
      if (checkpointSeqs.has(seq)) hashAt.set(seq, r.hash);
      prevHash = r.hash;
      expected++;
    }
  }
  const events = expected - 1;

  const publicKey = loadVerificationKey();
  let verified = 0;
  let lastGood = 0;
  for (const c of checkpoints) {
    const seq = Number(c.seq);
    const signedOk = publicKey === null || (publicKey.keyId === c.key_id && verifyMessage(publicKey.key, checkpointMessage({ orgId, seq, hash: c.hash, signedAt: new Date(c.signed_at) }), c.signature));
    if (signedOk && publicKey) verified++;
    if (broken && seq >= broken.seq) continue; // already broken before this checkpoint
    if (!signedOk) {
      broken ??= { seq: lastGood + 1, problem: `checkpoint at event ${seq} has a signature that does not verify with the current key` };
      continue;
    }
    if (seq > events) broken ??= { seq: events + 1, problem: `events ${events + 1} to ${seq} are missing: a signed checkpoint covers event ${seq}` };
    else if (hashAt.get(seq) !== c.hash) broken ??= { seq: lastGood + 1, problem: `events ${lastGood + 1} to ${seq} were rewritten: they no longer match the signed checkpoint at event ${seq}` };
    else lastGood = seq;
  }
  const latest = checkpoints.at(-1);
  return {
    orgId,
    intact: broken === null,
    events,
    head: events > 0 ? { seq: events, hash: prevHash } : null,
    firstBrokenSeq: broken?.seq ?? null,
    problem: broken?.problem ?? null,
    checkpoints: {
      total: checkpoints.length,
      verified,
      signaturesChecked: publicKey !== null,
      latest: latest ? { seq: Number(latest.seq), hash: latest.hash, signedAt: latest.signed_at, keyId: latest.key_id } : null,
    },
  };
}
