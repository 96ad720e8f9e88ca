// The chain's scans for verifyChain (verify-chain.ts): the fast one in disk order on worker
// threads, and the ordered re-read that names the first bad event.
import * as nodeCrypto from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type postgres from "postgres";
import type { Executor } from "@/db/client";
import { CHAIN_ZERO } from "./checkpoint";
import { GENESIS_HASH } from "./hash-event";
import { AUDIT_SHARDS } from "./merkle-root";
import { openSideReader, type SideReader } from "./open-side-reader";
import { rawSqlOf } from "./raw-sql";
import { streamCopyChunks } from "./stream-copy-chunks";
import { VERIFY_CHUNK_SOURCE, VERIFY_COLUMNS, VERIFY_WORKER_SOURCE } from "./verify-chunk-source";
import type { VerifyOptions } from "./verify-chain";

interface ChunkResult {
  first: [number, number, string] | null;
  count: number;
  problem: [number, number, "missing" | "relinked" | "changed"] | null;
  ends: Array<[number, number, string]>;
  marks: Array<[number, number, string]>;
}

/** The fast path's answer for a chunk of rows in any order (hashChunk in verify-chunk-source.ts). */
interface HashResult {
  count: number;
  bad: boolean;
  /** Flat: shard, first seq, its prev hash, last seq, last hash; one run of linked rows each. */
  runs: Array<number | string>;
  marks: Array<[number, number, string]>;
}

type ChunkFn<R> = (bytes: Buffer, positions: Set<number> | null, crypto: typeof nodeCrypto) => R;
// The same source the workers run (lib/audit/verify-chunk-source.ts); compiled once here.
const { verifyChunk: verifyChunkHere, hashChunk: hashChunkHere } = new Function(`${VERIFY_CHUNK_SOURCE}; return { verifyChunk, hashChunk };`)() as {
  verifyChunk: ChunkFn<ChunkResult>;
  hashChunk: ChunkFn<HashResult>;
};

const CHUNK_BYTES = 1 << 19;
const IN_FLIGHT_PER_WORKER = 3;
const SAMPLE_BLOCKS = 500;
export const positionKey = (shard: number, seq: number) => shard * 4294967296 + seq;

export interface Scan {
  /** Per shard, the last verified [seq, hash] (seq 0 and the genesis hash when none). */
  verified: Array<[number, string]>;
  marks: Map<number, string>;
  broken: { shard: number; seq: number; problem: string } | null;
}

/**
 * Checks the chain the fast way first: rows as PostgreSQL finds them on disk (no index walk in
 * (shard, seq) order, which on a table larger than shared_buffers is most of the cost), every hash
 * on worker threads, links stitched here from each chunk's runs. Only when something does not hold
 * is the chain read again in (shard, seq) order, to name the first bad event exactly as before.
 *
 * Both reads stop at `heads` (each shard's head seq when the verification started): events
 * appended meanwhile are neither read nor counted, whichever connection reads them.
 */
export async function scanChain(db: Executor, orgId: string | null, positions: Set<number>, heads: number[], options: VerifyOptions): Promise<Scan> {
  const chain = { where: chainWhere(orgId, heads), total: heads.reduce((a, b) => a + b, 0) };
  const fast = await scanAnyOrder(db, chain, positions, options);
  return fast ?? (await scanInOrder(db, chain, positions, options));
}

interface ChainRead {
  /** The chain's rows up to the pinned heads, as SQL (COPY takes no bind parameters). */
  where: string;
  /** The events up to the pinned heads (for progress). */
  total: number;
}

// The org id was checked to be a uuid by the caller, the heads are integers read from the chain.
// A shard outside 0..15 (only a tampered row has one) is never left out: it must show as bad.
function chainWhere(orgId: string | null, heads: number[]): string {
  if (!heads.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error("scanChain: heads must be sequence numbers");
  return `coalesce(org_id, '${CHAIN_ZERO}'::uuid) = '${orgId ?? CHAIN_ZERO}'::uuid
    and seq <= coalesce(('{${heads.join(",")}}'::bigint[])[shard + 1], 9223372036854775807)`;
}

/**
 * The fast path: rows in any order. Each chunk's runs (rows of a shard that follow each other by
 * seq, linked and hashed in the worker) are joined per shard onto its verified head; a run that
 * starts further on waits in `early` until the rows before it arrive. Null when anything does not
 * hold: a hash, a link, a seq seen twice, a gap left at the end, a shard outside 0..15.
 */
async function scanAnyOrder(db: Executor, chain: ChainRead, positions: Set<number>, options: VerifyOptions): Promise<Scan | null> {
  const verified: Array<[number, string]> = Array.from({ length: AUDIT_SHARDS }, () => [0, GENESIS_HASH]);
  const early = Array.from({ length: AUDIT_SHARDS }, () => new Map<number, [prev: string, lastSeq: number, lastHash: string]>());
  const marks = new Map<number, string>();
  let bad = false;
  let checked = 0;
  const join = (shard: number, first: number, prev: string, lastSeq: number, lastHash: string) => {
    const head = verified[shard]!;
    if (first > head[0] + 1) {
      if (early[shard]!.has(first)) bad = true;
      else early[shard]!.set(first, [prev, lastSeq, lastHash]);
      return;
    }
    if (first <= head[0] || prev !== head[1]) return void (bad = true);
    verified[shard] = [lastSeq, lastHash];
    // Runs that arrived early and now follow on (a loop: a chain read backwards has one per row).
    for (let next = early[shard]!.get(lastSeq + 1); next; next = early[shard]!.get(lastSeq + 1)) {
      early[shard]!.delete(lastSeq + 1);
      if (next[0] !== lastHash) return void (bad = true);
      [, lastSeq, lastHash] = next;
      verified[shard] = [lastSeq, lastHash];
    }
  };
  const absorb = (r: HashResult) => {
    if (bad || r.bad) return void (bad = true);
    const runs = r.runs;
    for (let i = 0; i < runs.length && !bad; i += 5) join(runs[i] as number, runs[i + 1] as number, runs[i + 2] as string, runs[i + 3] as number, runs[i + 4] as string);
    for (const [shard, seq, hash] of r.marks) marks.set(positionKey(shard, seq), hash);
    checked += r.count;
    options.onProgress?.(checked, chain.total);
  };
  const pool = chain.total >= (options.workersFrom ?? 50_000) ? startPool(positions) : null;
  // A large chain is read by two COPY streams at once, each over part of the table's blocks, so
  // that PostgreSQL writes rows on two cores: its COPY output is most of a verification's cost.
  const split = pool && options.streams !== 1 ? await splitForTwoStreams(db, chain) : null;
  if (split) options.onSplit?.(split.block);
  try {
    const query = `select ${VERIFY_COLUMNS} from audit_events where ${chain.where}`;
    const check = (bytes: Buffer, release: (b: Buffer) => void) =>
      pool ? pool.submit(bytes, release, absorb, false) : (absorb(hashChunkHere(bytes, positions, nodeCrypto)), release(bytes));
    const streams: Array<[postgres.Sql, string]> = split
      ? [[rawSqlOf(db), `${query} and ctid < '(${split.block},0)'::tid`], [split.side.sql, `${query} and ctid >= '(${split.block},0)'::tid`]]
      : [[rawSqlOf(db), query]];
    // Settled, not raced: a stream that fails leaves the other to finish before the workers stop.
    const results = await Promise.allSettled(streams.map(([sql, q]) => streamCopyChunks(sql, q, options.chunkBytes ?? CHUNK_BYTES, check, () => bad)));
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    if (pool) await pool.drain();
  } finally {
    await split?.side.close();
    if (pool) await pool.stop();
  }
  if (bad || early.some((waiting) => waiting.size > 0)) return null;
  return { verified, marks, broken: null };
}

/**
 * Where to split the chain's rows between two streams: the middle block of a sample of the
 * chain's rows (so a chain whose rows lie in one part of a table shared with other orgs is still
 * split in half), and the side connection. The sample is 1% of a large table's blocks, at least
 * SAMPLE_BLOCKS (all of a small one). Null when there is no second connection or nothing to split
 * (one stream then reads it all).
 */
async function splitForTwoStreams(db: Executor, chain: ChainRead): Promise<{ block: number; side: SideReader } | null> {
  const sql = rawSqlOf(db);
  const [size] = await sql.unsafe<Array<{ blocks: string }>>(`select (pg_relation_size('audit_events') / current_setting('block_size')::int)::text as blocks`);
  const percent = Math.min(100, Math.max(1, (100 * SAMPLE_BLOCKS) / Math.max(1, Number(size?.blocks ?? 0))));
  const [row] = await sql.unsafe<Array<{ block: string | null }>>(
    `select (percentile_disc(0.5) within group (order by (ctid::text::point)[0]))::bigint::text as block from audit_events tablesample system (${percent.toFixed(4)}) where ${chain.where}`,
  );
  const block = Number(row?.block ?? 0);
  if (!(block > 0)) return null;
  const side = await openSideReader(db);
  return side ? { block, side } : null;
}

/** Streams the chain in (shard, seq) order by COPY and checks it chunk by chunk, in order. */
async function scanInOrder(db: Executor, chain: ChainRead, positions: Set<number>, options: VerifyOptions): Promise<Scan> {
  const verified: Array<[number, string]> = Array.from({ length: AUDIT_SHARDS }, () => [0, GENESIS_HASH]);
  const marks = new Map<number, string>();
  let broken: Scan["broken"] = null;
  let last: [number, number, string] | null = null; // shard, seq, hash of the last verified row
  let checked = 0;

  const absorb = (r: ChunkResult) => {
    if (broken) return;
    if (r.first) {
      const [shard, seq, prev] = r.first;
      const sameShard = last !== null && last[0] === shard;
      const expectedSeq = sameShard ? last![1] + 1 : 1;
      const expectedPrev = sameShard ? last![2] : GENESIS_HASH;
      if (seq !== expectedSeq) broken = { shard, seq: expectedSeq, problem: describe(shard, expectedSeq, "missing") };
      else if (prev !== expectedPrev) broken = { shard, seq, problem: describe(shard, seq, "relinked") };
      if (broken) return;
    }
    for (const [shard, seq, hash] of r.ends) {
      verified[shard] = [seq, hash];
      last = [shard, seq, hash];
    }
    for (const [shard, seq, hash] of r.marks) marks.set(positionKey(shard, seq), hash);
    checked += r.count;
    if (r.problem) broken = { shard: r.problem[0], seq: r.problem[1], problem: describe(r.problem[0], r.problem[1], r.problem[2]) };
    options.onProgress?.(checked, chain.total);
  };

  const pool = chain.total >= (options.workersFrom ?? 50_000) ? startPool(positions) : null;
  try {
    const query = `select ${VERIFY_COLUMNS} from audit_events where ${chain.where} order by coalesce(org_id, '${CHAIN_ZERO}'::uuid), shard, seq`;
    await streamCopyChunks(rawSqlOf(db), query, options.chunkBytes ?? CHUNK_BYTES, (bytes, release) => (pool ? pool.submit(bytes, release, absorb, true) : (absorb(verifyChunkHere(bytes, positions, nodeCrypto)), release(bytes))), () => broken !== null);
    if (pool) await pool.drain();
  } finally {
    if (pool) await pool.stop();
  }
  return { verified, marks, broken };
}

function describe(shard: number, seq: number, kind: "missing" | "relinked" | "changed"): string {
  const where = shard === 0 ? "" : `shard ${shard}: `;
  if (kind === "missing") return `${where}event ${seq} is missing (deleted)`;
  if (kind === "relinked") return `${where}event ${seq} does not link to event ${seq - 1} (inserted or re-linked)`;
  return `${where}event ${seq} was changed after it was written`;
}

/** Worker threads that check chunks; answers are absorbed strictly in submission order. */
function startPool(positions: Set<number>) {
  const size = Math.max(1, Math.min(2, availableParallelism()));
  const workers = Array.from({ length: size }, () => new Worker(VERIFY_WORKER_SOURCE, { eval: true, workerData: { positions: [...positions] } }));
  const waiting = new Map<number, unknown>();
  const releases = new Map<number, (b: Buffer) => void>();
  const inFlight = new Array<number>(size).fill(0);
  let submitted = 0;
  let absorbed = 0;
  let absorbFn: ((r: never) => void) | null = null;
  let failure: Error | null = null;
  // Everyone waiting for a free slot or the last answer (two streams may both wait at once).
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
    waiters.clear();
  };
  workers.forEach((w, i) => {
    w.on("message", (m: { index: number; result: never; buffer: ArrayBuffer }) => {
      inFlight[i]!--;
      releases.get(m.index)!(Buffer.from(m.buffer));
      releases.delete(m.index);
      waiting.set(m.index, m.result);
      while (waiting.has(absorbed)) {
        absorbFn!(waiting.get(absorbed) as never);
        waiting.delete(absorbed++);
      }
      wake();
    });
    w.on("error", (error) => {
      failure = error;
      wake();
    });
  });
  const until = async (done: () => boolean) => {
    while (!done()) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => waiters.add(resolve));
    }
    if (failure) throw failure;
  };
  return {
    /**
     * inOrder: verifyChunk (rows in (shard, seq) order), else hashChunk (any order). The chunk's
     * whole buffer moves to the worker and comes back with the answer, to `release`.
     */
    async submit<R>(bytes: Buffer, release: (b: Buffer) => void, absorb: (r: R) => void, inOrder: boolean) {
      absorbFn = absorb as (r: never) => void;
      await until(() => inFlight.some((n) => n < IN_FLIGHT_PER_WORKER));
      const i = inFlight.indexOf(Math.min(...inFlight));
      inFlight[i]!++;
      const index = submitted++;
      // streamChunks' buffers own their ArrayBuffer from byte 0 (allocUnsafeSlow), so it moves as it is.
      const buffer = bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : new Uint8Array(bytes).buffer;
      releases.set(index, release);
      workers[i]!.postMessage({ index, buffer, length: bytes.length, inOrder }, [buffer]);
    },
    drain: () => until(() => absorbed === submitted),
    stop: () => Promise.all(workers.map((w) => w.terminate())).then(() => undefined),
  };
}
