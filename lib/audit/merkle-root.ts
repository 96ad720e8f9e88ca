import { createHash } from "node:crypto";

/** Shards per chain; audit_append() and audit_chain_heads() (migration 0016) use the same 16. */
export const AUDIT_SHARDS = 16;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * The Merkle root over a chain's shard heads, in shard order (an empty shard is seq 0 with the
 * genesis hash). A leaf commits to its shard number, seq and hash; a node to its two children,
 * with distinct prefixes so a leaf can never pass for a node. Tampering with any event changes
 * its shard's head hash (every later hash in the shard covers it), hence the root.
 */
export function merkleRoot(heads: ReadonlyArray<readonly [seq: number, hash: string]>): string {
  let level = heads.map(([seq, hash], shard) => sha256(`leaf:${shard}:${seq}:${hash}`));
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256(`node:${level[i]}:${level[i + 1] ?? level[i]}`));
    level = next;
  }
  return level[0] ?? sha256("empty");
}
