import * as nodeCrypto from "node:crypto";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { CHAIN_ZERO, checkpointMessage, readShardHeads } from "./checkpoint";
import { AUDIT_SHARDS, merkleRoot } from "./merkle-root";
import { loadVerificationKey } from "./signing-key";
import { positionKey, scanChain } from "./scan-chain";

export interface ChainReport {
  orgId: string | null;
  intact: boolean;
  /** Events verified (all of them when intact). */
  events: number;
  /** The verified events' count and the Merkle root of the verified shard heads. */
  head: { seq: number; hash: string } | null;
  /** Every non-empty shard's verified head. */
  shards: Array<{ shard: number; seq: number; hash: string }>;
  /** The first event that breaks, in (shard, seq) order, or null when intact. */
  firstBrokenShard: number | null;
  firstBrokenSeq: number | null;
  problem: string | null;
  /** Signatures are checked only when a key is configured (AUDIT_PUBLIC_KEY or the signing key). */
  checkpoints: { total: number; verified: number; signaturesChecked: boolean; latest: { seq: number; hash: string; signedAt: string; keyId: string } | null };
}

export interface VerifyOptions {
  /** Called after each chunk with the events checked so far and the chain's size at the start (the sum of its shards' heads). */
  onProgress?: (checked: number, total: number) => void;
  /** Chains at least this long are hashed in worker threads (default 50,000). */
  workersFrom?: number;
  /** Bytes of COPY rows per chunk handed to a check (default 512 KB; tests use small ones). */
  chunkBytes?: number;
  /** COPY streams that read the chain at once, on connections of their own (default 2; 1 for one). */
  streams?: 1 | 2;
  /** Told the block where the second stream starts, when the chain is read by two. */
  onSplit?: (block: number) => void;
}


type Checkpoint = { version: number; seq: string; hash: string; heads: Array<[number, string]> | null; signed_at: string; key_id: string; signature: string };

/**
 * Recomputes one chain, every shard from its first event, and checks every signed checkpoint.
 * It names the first event that breaks, in (shard, seq) order: a changed row (its hash no longer
 * matches), a deleted row (a gap in its shard's sequence), an inserted, moved or re-linked row
 * (its previous hash is not the one before it), or a rewritten or cut stretch that no longer
 * matches a signed checkpoint's shard heads. Rows stream by COPY; large chains are hashed on
 * worker threads (every row's hash depends only on its own stored text, so chunks check apart
 * and are stitched together in order here).
 */
export async function verifyChain(db: Executor, orgId: string | null, options: VerifyOptions = {}): Promise<ChainReport> {
  if (orgId !== null && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(orgId)) throw new Error("verifyChain: not an org id");
  const chain = sql`coalesce(org_id, ${CHAIN_ZERO}::uuid) = coalesce(${orgId}::uuid, ${CHAIN_ZERO}::uuid)`;
  const checkpoints = await db.execute<Checkpoint>(sql`
    select version, seq::text, hash, heads, to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at, key_id, signature
    from audit_checkpoints where ${chain} order by audit_checkpoints.seq, audit_checkpoints.id`);
  const headsOf = (c: Checkpoint): Array<[number, string]> => (c.version === 1 ? [[Number(c.seq), c.hash]] : (c.heads ?? []));
  const positions = new Set<number>();
  for (const c of checkpoints) headsOf(c).forEach(([seq], shard) => seq > 0 && positions.add(positionKey(shard, seq)));
  // Each shard's head now (audit_chain_heads: one index probe each; under row-level security the
  // caller's own probe cannot use the chain index and scans instead): the scans stop there, so
  // events appended during the verification are neither read nor counted.
  const heads = (await readShardHeads(db, orgId)).map(([seq]) => seq);

  // Signatures are checked on libuv's thread pool while the chain streams (1,000 checkpoints cost
  // about as much as 100,000 events' hashes).
  const publicKey = loadVerificationKey();
  const signatures = Promise.all(checkpoints.map((c) => checkSignature(publicKey, orgId, c)));
  const scan = await scanChain(db, orgId, positions, heads, options);
  const signedOks = await signatures;
  const { broken } = scan;
  const verified = scan.verified;
  const events = verified.reduce((sum, [seq]) => sum + seq, 0);

  // ---- checkpoints: each signed set of shard heads must be the events verified above
  let verifiedSignatures = 0;
  const lastGood = new Array<number>(AUDIT_SHARDS).fill(0);
  let found: { shard: number; seq: number; problem: string } | null = broken;
  const before = (shard: number, seq: number) => broken === null || shard < broken.shard || (shard === broken.shard && seq < broken.seq);
  const where = (shard: number) => (shard === 0 ? "" : `shard ${shard}: `);
  for (const [index, c] of checkpoints.entries()) {
    const seq = Number(c.seq);
    const signedOk = signedOks[index]!;
    if (signedOk && publicKey) verifiedSignatures++;
    const heads = headsOf(c);
    if (!signedOk || (c.version !== 1 && merkleRoot(heads) !== c.hash)) {
      if (before(0, lastGood[0]! + 1)) found ??= { shard: 0, seq: lastGood[0]! + 1, problem: `checkpoint at event ${seq} has a signature that does not verify with the current key` };
      continue;
    }
    heads.forEach(([headSeq, headHash], shard) => {
      if (headSeq === 0 || !before(shard, headSeq)) return;
      const have = verified[shard]?.[0] ?? 0;
      if (headSeq > have) found ??= { shard, seq: have + 1, problem: `${where(shard)}events ${have + 1} to ${headSeq} are missing: a signed checkpoint covers event ${headSeq}` };
      else if (scan.marks.get(positionKey(shard, headSeq)) !== headHash) {
        found ??= { shard, seq: lastGood[shard]! + 1, problem: `${where(shard)}events ${lastGood[shard]! + 1} to ${headSeq} were rewritten: they no longer match the signed checkpoint at event ${headSeq}` };
      } else lastGood[shard] = Math.max(lastGood[shard]!, headSeq);
    });
  }
  const latest = checkpoints.at(-1);
  return {
    orgId,
    intact: found === null,
    events,
    head: events > 0 ? { seq: events, hash: merkleRoot(verified) } : null,
    shards: verified.flatMap(([seq, hash], shard) => (seq > 0 ? [{ shard, seq, hash }] : [])),
    firstBrokenShard: found?.shard ?? null,
    firstBrokenSeq: found?.seq ?? null,
    problem: found?.problem ?? null,
    checkpoints: {
      total: checkpoints.length,
      verified: verifiedSignatures,
      signaturesChecked: publicKey !== null,
      latest: latest ? { seq: Number(latest.seq), hash: latest.hash, signedAt: latest.signed_at, keyId: latest.key_id } : null,
    },
  };
}

/** A checkpoint's signature: true without a key (nothing to check), false for another key's. */
function checkSignature(publicKey: { key: nodeCrypto.KeyObject; keyId: string } | null, orgId: string | null, c: Checkpoint): Promise<boolean> {
  if (publicKey === null) return Promise.resolve(true);
  if (publicKey.keyId !== c.key_id) return Promise.resolve(false);
  const message = Buffer.from(checkpointMessage({ orgId, seq: Number(c.seq), hash: c.hash, signedAt: new Date(c.signed_at), version: c.version }));
  return new Promise((resolve) => {
    try {
      nodeCrypto.verify(null, message, publicKey.key, Buffer.from(c.signature, "base64"), (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}
