import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditCheckpoints } from "@/db/schema";
import { canonicalJson } from "./canonical-json";
import { merkleRoot } from "./merkle-root";
import { loadSigningKey, signMessage } from "./signing-key";

export const CHAIN_ZERO = "00000000-0000-0000-0000-000000000000";

/**
 * What a checkpoint signs. Version 1 (before shards): the one chain's head (seq, hash).
 * Version 2: `seq` is the number of events the heads cover and `hash` the Merkle root of the
 * shard heads (lib/audit/merkle-root.ts).
 */
export function checkpointMessage(c: { orgId: string | null; seq: number; hash: string; signedAt: Date; version?: number }): string {
  if ((c.version ?? 1) === 1) return canonicalJson({ v: 1, orgId: c.orgId, seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString() });
  return canonicalJson({ v: 2, orgId: c.orgId, events: c.seq, root: c.hash, signedAt: c.signedAt.toISOString() });
}

/** Every N events of a shard a checkpoint is signed in the appending transaction (AUDIT_CHECKPOINT_EVERY). */
export function checkpointInterval(): number {
  const n = Number(process.env.AUDIT_CHECKPOINT_EVERY ?? 1000);
  return Number.isInteger(n) && n > 0 ? n : 1000;
}

export type ShardHeads = Array<[seq: number, hash: string]>;

/** Every shard's head of a chain, by audit_chain_heads() (one probe per shard). */
export async function readShardHeads(db: Executor, orgId: string | null): Promise<ShardHeads> {
  const rows = await db.execute<{ seq: string; hash: string }>(sql`select seq::text as seq, hash from audit_chain_heads(${orgId}::uuid)`);
  return rows.map((r) => [Number(r.seq), r.hash]);
}

/**
 * Signs and stores a checkpoint over a chain's current shard heads. The audit subsystem's own
 * write: called by the audit append (inside the command's transaction) and by the periodic
 * checkpointer. `heads` may be passed when the caller has just read them.
 */
export async function writeCheckpoint(db: Executor, orgId: string | null, heads?: ShardHeads): Promise<boolean> {
  const key = loadSigningKey();
  if (!key) return false;
  heads ??= await readShardHeads(db, orgId);
  const [row] = await db.execute<{ now: string }>(sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`);
  const signedAt = new Date(row!.now);
  const seq = heads.reduce((sum, [s]) => sum + s, 0);
  const hash = merkleRoot(heads);
  const signature = signMessage(key, checkpointMessage({ orgId, seq, hash, signedAt, version: 2 }));
  // The global chain's checkpoint belongs to no tenant: only this insert lifts the wall, and puts it back.
  const lift = orgId === null ? await liftTenantWall(db) : null;
  await db.insert(auditCheckpoints).values({ orgId, seq, hash, version: 2, heads, signedAt, keyId: key.keyId, signature });
  if (lift) await lift();
  return true;
}

async function liftTenantWall(tx: Executor): Promise<() => Promise<void>> {
  const [row] = await tx.execute<{ previous: string }>(sql`select coalesce(current_setting('countersign.bypass', true), '') as previous, set_config('countersign.bypass', 'on', true)`);
  return async () => {
    await tx.execute(sql`select set_config('countersign.bypass', ${row?.previous ?? ""}, true)`);
  };
}

/**
 * Checkpoints every chain whose heads moved since its last checkpoint; the launcher runs this
 * every AUDIT_CHECKPOINT_MINUTES so a quiet org's latest events are covered too. Shard seqs only
 * grow, so a chain moved exactly when its heads cover more events than its last checkpoint.
 */
export async function checkpointMovedChains(db: Executor): Promise<number> {
  const chains = await db.execute<{ org_id: string | null; covered: string | null }>(sql`
    select c.org_id, (select max(k.seq) from audit_checkpoints k
                      where coalesce(k.org_id, ${CHAIN_ZERO}::uuid) = coalesce(c.org_id, ${CHAIN_ZERO}::uuid))::text as covered
    from (select id as org_id from organizations union all select null::uuid) c`);
  let written = 0;
  for (const chain of chains) {
    const heads = await readShardHeads(db, chain.org_id);
    const events = heads.reduce((sum, [s]) => sum + s, 0);
    if (events === 0 || events <= Number(chain.covered ?? 0)) continue;
    if (await writeCheckpoint(db, chain.org_id, heads)) written++;
  }
  return written;
}
