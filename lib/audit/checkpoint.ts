import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { auditCheckpoints } from "@/db/schema";
import { canonicalJson } from "./canonical-json";
import { loadSigningKey, signMessage } from "./signing-key";

export const CHAIN_ZERO = "00000000-0000-0000-0000-000000000000";

/** What a checkpoint signs: the chain (org or null for the global chain), its head and the time. */
export function checkpointMessage(c: { orgId: string | null; seq: number; hash: string; signedAt: Date }): string {
  return canonicalJson({ v: 1, orgId: c.orgId, seq: c.seq, hash: c.hash, signedAt: c.signedAt.toISOString() });
}

/** Every N events a checkpoint is signed in the appending transaction (AUDIT_CHECKPOINT_EVERY). */
export function checkpointInterval(): number {
  const n = Number(process.env.AUDIT_CHECKPOINT_EVERY ?? 1000);
  return Number.isInteger(n) && n > 0 ? n : 1000;
}

/**
 * Signs and stores a checkpoint for a chain head. The audit subsystem's own write: it is called
 * by the audit append (inside the command's transaction) and by the periodic checkpointer.
 */
export async function writeCheckpoint(db: Executor, head: { orgId: string | null; seq: number; hash: string }): Promise<boolean> {
  const key = loadSigningKey();
  if (!key) return false;
  const [row] = await db.execute<{ now: string }>(sql`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as now`);
  const signedAt = new Date(row!.now);
  const signature = signMessage(key, checkpointMessage({ ...head, signedAt }));
  await db.insert(auditCheckpoints).values({ orgId: head.orgId, seq: head.seq, hash: head.hash, signedAt, keyId: key.keyId, signature });
  return true;
}

/**
 * Checkpoints every chain whose head moved since its last checkpoint; the launcher runs this
 * every AUDIT_CHECKPOINT_MINUTES so a quiet org's latest events are covered too.
 */
export async function checkpointMovedChains(db: Executor): Promise<number> {
  // One indexed head lookup per chain (each org, plus the global chain), not a scan of the trail.
  const moved = await db.execute<{ org_id: string | null; seq: string; hash: string }>(sql`
    select c.org_id, h.seq::text as seq, h.hash
    from (select id as org_id from organizations union all select null::uuid) c
    cross join lateral (
      select e.seq, e.hash from audit_events e
      where coalesce(e.org_id, ${CHAIN_ZERO}::uuid) = coalesce(c.org_id, ${CHAIN_ZERO}::uuid)
      order by e.seq desc limit 1) h
    where not exists (
      select 1 from audit_checkpoints k
      where coalesce(k.org_id, ${CHAIN_ZERO}::uuid) = coalesce(c.org_id, ${CHAIN_ZERO}::uuid) and k.seq >= h.seq)`);
  let written = 0;
  for (const head of moved) {
    if (await writeCheckpoint(db, { orgId: head.org_id, seq: Number(head.seq), hash: head.hash })) written++;
  }
  return written;
}
