import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { CHAIN_ZERO, readShardHeads } from "./checkpoint";
import type { AuditCheckpoint } from "./schemas";

/**
 * The newest signed checkpoint of an org's chain, or null before the first one. One probe of
 * the checkpoints' chain index: cheap enough for every page view, unlike verifying the chain.
 */
export async function findLatestCheckpoint(db: Executor, orgId: string): Promise<AuditCheckpoint | null> {
  const [row] = await db.execute<{ org_id: string | null; seq_text: string; hash: string; signed_at: string; key_id: string; signature: string; version: number; heads: Array<[number, string]> | null }>(sql`
    select org_id, seq::text as seq_text, hash, key_id, signature, version, heads,
           to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at
    from audit_checkpoints
    where coalesce(org_id, ${CHAIN_ZERO}::uuid) = ${orgId}::uuid
    order by seq desc
    limit 1`);
  if (!row) return null;
  return { orgId: row.org_id, seq: Number(row.seq_text), hash: row.hash, signedAt: row.signed_at, keyId: row.key_id, signature: row.signature, version: row.version, heads: row.heads };
}

/** Each shard's head seq of the org's chain (0 for an empty shard), by the chain's unique index. */
export async function findChainHeadSeqs(db: Executor, orgId: string): Promise<number[]> {
  return (await readShardHeads(db, orgId)).map(([seq]) => seq);
}
