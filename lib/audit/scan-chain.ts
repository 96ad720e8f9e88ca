// The chain's scans for verifyChain (verify-chain.ts): the fast one in disk order on worker
// threads, and the ordered re-read that names the first bad event.
import * as nodeCrypto from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Executor } from "@/db/client";
import { CHAIN_ZERO } from "./checkpoint";
import { GENESIS_HASH } from "./hash-event";
import { AUDIT_SHARDS } from "./merkle-root";
import { rawSqlOf } from "./raw-sql";
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
 */
export async function scanChain(db: Executor, orgId: string | null, positions: Set<number>, total: number, options: VerifyOptions): Promise<Scan> {
  return (await scanAnyOrder(db, orgId, positions, total, options)) ?? (await scanInOrder(db, orgId, positions, total, options));
}

// COPY takes no bind parameters: the org id was checked to be a uuid by the caller.
const chainWhere = (orgId: string | null) => `coalesce(org_id, '${CHAIN_ZERO}'::uuid) = '${orgId ?? CHAIN_ZERO}'::uuid`;

/**
 * Streams a COPY's rows in chunks of whole rows to `check`, one chunk at a time (the next chunk
 * is read while `check` hands the last to a worker). Rows are copied straight into reusable
 * chunk buffers (`spare`, refilled by `check` when a worker hands one back): fresh 512 KB buffers
 * per chunk cost more in page faults and collection than the hashing. Once `stop()` holds, the
 * rest is read to the end, so the connection stays usable, but not checked.
 */
async function streamChunks(
  db: Executor,
  query: string,
  chunkBytes: number,
  check: (bytes: Buffer, release: (b: Buffer) => void) => Promise<void> | void,
  stop: () => boolean,
): Promise<void> {
  const stream = await rawSqlOf(db).unsafe(`copy (${query}) to stdout`).readable();
  const spare: Buffer[] = [];
  // Only the standard size goes back to `spare`; a buffer grown for a long row is let go.
  const release = (b: Buffer) => void (b.buffer.byteLength === chunkBytes * 2 && spare.push(Buffer.from(b.buffer, 0, chunkBytes * 2)));
  const take = () => spare.pop() ?? Buffer.allocUnsafeSlow(chunkBytes * 2);
  let current = take();
  let used = 0;
  const flush = async () => {
    if (used === 0) return;
    const bytes = current.subarray(0, used);
    current = take();
    used = 0;
    if (!stop()) await check(bytes, release);
  };
  // COPY delivers one buffer per row: 'data' events, paused while a chunk is handed over, cost
  // far less per row than an async iterator's promise each.
  let handing = Promise.resolve();
  await new Promise<void>((resolve, reject) => {
    const readable = stream as NodeJS.ReadableStream & { destroy(error?: Error): void };
    readable.on("data", (chunk: Buffer) => {
      if (used + chunk.length > current.length) {
        // A row longer than the room left (a large metadata): a buffer of its own, never reused.
        const bigger = Buffer.allocUnsafeSlow(Math.max(current.length * 2, used + chunk.length));
        current.copy(bigger, 0, 0, used);
        release(current);
        current = bigger;
      }
      used += chunk.copy(current, used);
      if (used < chunkBytes || chunk[chunk.length - 1] !== 10) return;
      readable.pause();
      handing = flush().then(
        () => void readable.resume(),
        (error: unknown) => {
          readable.destroy(error as Error);
          reject(error as Error);
        },
      );
    });
    // 'end' can come while the last chunk is still being handed over (paused): it waits for that.
    readable.on("end", () => void handing.then(flush).then(resolve, reject));
    readable.on("error", reject);
  });
}

/**
 * The fast path: rows in any order. Each chunk's runs (rows of a shard that follow each other by
 * seq, linked and hashed in the worker) are joined per shard onto its verified head; a run that
 * starts further on waits in `early` until the rows before it arrive. Null when anything does not
 * hold: a hash, a link, a seq seen twice, a gap left at the end, a shard outside 0..15.
 */
async function scanAnyOrder(db: Executor, orgId: string | null, positions: Set<number>, total: number, options: VerifyOptions): Promise<Scan | null> {
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
    options.onProgress?.(checked, total);
  };
  const pool = total >= (options.workersFrom ?? 50_000) ? startPool(positions) : null;
  try {
    const query = `select ${VERIFY_COLUMNS} from audit_events where ${chainWhere(orgId)}`;
    await streamChunks(db, query, options.chunkBytes ?? CHUNK_BYTES, (bytes, release) => (pool ? pool.submit(bytes, release, absorb, false) : (absorb(hashChunkHere(bytes, positions, nodeCrypto)), release(bytes))), () => bad);
    if (pool) await pool.drain();
  } finally {
    if (pool) await pool.stop();
  }
  if (bad || early.some((waiting) => waiting.size > 0)) return null;
  return { verified, marks, broken: null };
}

/** Streams the chain in (shard, seq) order by COPY and checks it chunk by chunk, in order. */
async function scanInOrder(db: Executor, orgId: string | null, positions: Set<number>, total: number, options: VerifyOptions): Promise<Scan> {
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
    options.onProgress?.(checked, total);
  };

  const pool = total >= (options.workersFrom ?? 50_000) ? startPool(positions) : null;
  try {
    const query = `select ${VERIFY_COLUMNS} from audit_events where ${chainWhere(orgId)} order by coalesce(org_id, '${CHAIN_ZERO}'::uuid), shard, seq`;
    await streamChunks(db, query, options.chunkBytes ?? CHUNK_BYTES, (bytes, release) => (pool ? pool.submit(bytes, release, absorb, true) : (absorb(verifyChunkHere(bytes, positions, nodeCrypto)), release(bytes))), () => broken !== null);
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
  let wake: (() => void) | null = null;
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
      wake?.();
    });
    w.on("error", (error) => {
      failure = error;
      wake?.();
    });
  });
  const until = async (done: () => boolean) => {
    while (!done()) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
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
