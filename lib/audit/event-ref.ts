import { AUDIT_SHARDS } from "./merkle-root";

/**
 * How a page names one event of an org's chain: its seq for shard 0 (so links from before shards
 * still work), "<shard>-<seq>" for the others.
 */
export function formatEventRef(shard: number, seq: number): string {
  return shard === 0 ? String(seq) : `${shard}-${seq}`;
}

/** The (shard, seq) a reference names, or null for anything else. */
export function parseEventRef(text: string): { shard: number; seq: number } | null {
  const match = /^(?:(\d{1,2})-)?([1-9]\d{0,14})$/.exec(text);
  if (!match) return null;
  const shard = match[1] === undefined ? 0 : Number(match[1]);
  if (shard >= AUDIT_SHARDS) return null;
  return { shard, seq: Number(match[2]) };
}
