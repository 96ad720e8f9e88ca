/**
 * What the audit trail costs, on a fresh database of its own, in one run, as the app's role under
 * row-level security:
 *   1. write throughput of a buyer's order.created through runCommand (body + the audit append)
 *      against the same body, validation, authorization and tenant scope in a plain transaction
 *      without the append: 1 writer, 8 writers in one org (one chain, 16 shards), 8 writers over
 *      8 orgs;
 *   2. verifyChain over one org's chain of --events events spread over its 16 shards (as busy
 *      writers leave it), with signed checkpoints (two COPY streams when a second connection is free);
 *   3. export rate of that chain as JSON Lines and CSV, batch by batch in scoped transactions as
 *      the HTTP export reads it.
 * Run: npx tsx bench/audit.ts [--quick] [--chain-only] [--writes 2000] [--events 1000000]
 * (--chain-only: only 2 and 3, for verify and export on their own). Uses DATABASE_URL's
 * server, else postgres://postgres@127.0.0.1:5432/test; creates cs_bench_audit_<pid>_<time> and
 * drops it at the end. Timings are noisy on a shared 2-core machine: compare ratios within a run.
 * The last line is one JSON object with the figures.
 */
import { generateKeyPairSync } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { closeDb, getDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { applyTenantScope } from "@/db/tenant-scope";
import { checkpointMessage } from "@/lib/audit/checkpoint";
import { exportAuditCsv, exportAuditJsonl } from "@/lib/audit/export-audit-events";
import { hashEventV2 } from "@/lib/audit/hash-event";
import { AUDIT_SHARDS, merkleRoot } from "@/lib/audit/merkle-root";
import { loadSigningKey, signMessage } from "@/lib/audit/signing-key";
import { verifyChain } from "@/lib/audit/verify-chain";
import { createBranchCommand } from "@/lib/branches/create-branch";
import type { CommandTx } from "@/lib/core/command-tx";
import { authorizeAt, runCommand } from "@/lib/core/command";
import type { OrgRef, Principal } from "@/lib/core/context";
import { readAs, tenantScopeOf } from "@/lib/core/read-as";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { createOrderCommand } from "@/lib/orders/create-order";
import { createOrgCommand } from "@/lib/orgs/create-org";

const { values: args } = parseArgs({ options: { quick: { type: "boolean", default: false }, writes: { type: "string" }, events: { type: "string" }, "chain-only": { type: "boolean", default: false } } });
const WRITES = Number(args.writes ?? (args.quick ? 1000 : 4000));
const EVENTS = Number(args.events ?? (args.quick ? 100_000 : 1_000_000));
const CONCURRENCY = 8;
const ROUNDS = 10; // per workload: the median of 10 paired ratios

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const CHECKPOINT_EVERY = 1000; // the production default

// A name of its own per run, so two runs (or a run and a test) never collide.
const BENCH_DB = `cs_bench_audit_${process.pid}_${Date.now().toString(36)}`;
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = (() => {
  const url = new URL(serverUrl);
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
})();
const meta = systemMeta("bench");
const log = (line: string) => process.stderr.write(`${line}\n`);

async function admin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(client);
  } finally {
    await client.end({ timeout: 5 });
  }
}

interface Writer {
  org: OrgRef;
  branchId: string;
  buyer: Principal;
}

/** An org with a branch and `buyers` buyers placed on it, made through the real commands. */
async function createOrg(label: string, buyers: number): Promise<Writer[]> {
  const slug = `${label}-${Math.random().toString(36).slice(2, 8)}`;
  const created = await runCommand(createOrgCommand, systemPrincipal("bench"), meta, { name: label, slug });
  const org = { id: created.id, slug: created.slug, name: created.name };
  const operator = systemPrincipal("bench", org);
  const branch = await runCommand(createBranchCommand, operator, meta, { name: "Depot", parentId: null });
  const writers: Writer[] = [];
  for (let i = 0; i < buyers; i++) {
    const email = `buyer-${i}-${slug}@bench.test`;
    const member = await runCommand(createMemberCommand, operator, meta, { email, password: "correct horse battery staple", roleName: "Buyer", branchId: branch.id });
    const buyer = await loadMemberPrincipal(getDb(), { type: "user", userId: member.userId, label: email }, org.slug);
    if (!buyer) throw new Error("bench buyer has no principal");
    writers.push({ org, branchId: branch.id, buyer });
  }
  return writers;
}

// ---- 1. write throughput ---------------------------------------------------------------------

let orderNo = 0;
type Write = (w: Writer) => Promise<unknown>;
const orderInput = (w: Writer) => ({ number: `B-${process.pid}-${++orderNo}`, branchId: w.branchId, currency: "USD", lines: [{ sku: "SKU-1", description: "Widget", quantity: 2, unitPriceMinor: 1250 }] });

/** runCommand: authorize, validate, the body, and the audit append, in one transaction under RLS. */
const audited: Write = (w) => runCommand(createOrderCommand, w.buyer, meta, orderInput(w));

/**
 * The same body, validation, authorization and tenant scope (the buyer's, under row-level
 * security, as the app's role) in a plain transaction, without the audit append.
 */
const unaudited: Write = (w) =>
  getDb().transaction(async (tx) => {
    await applyTenantScope(tx, tenantScopeOf(w.buyer));
    const input = createOrderCommand.input.parse(orderInput(w));
    return createOrderCommand.run(
      { tx: tx as CommandTx, principal: w.buyer, meta, authorize: (permission, path, what) => authorizeAt(w.buyer, permission, path, what), requireStepUp: () => {} },
      input,
    );
  });

/** Runs `count` writes with `concurrency` in flight, round-robin over the writers; ops/s. */
async function throughput(write: Write, writers: Writer[], count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (next < count) {
        next++;
        await write(writers[lane % writers.length]!);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function benchWrites(): Promise<{ rows: string[]; ratios: number[] }> {
  const one = await createOrg("bench-one", CONCURRENCY);
  const eight = (await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => createOrg(`bench-many-${i}`, 1)))).flat();
  const workloads: Array<[string, Writer[], number]> = [
    ["1 writer, 1 org", [one[0]!], 1],
    [`${CONCURRENCY} writers, 1 org (one chain, ${AUDIT_SHARDS} shards)`, one, CONCURRENCY],
    [`${CONCURRENCY} writers, ${CONCURRENCY} orgs (${CONCURRENCY} chains)`, eight, CONCURRENCY],
  ];
  // Warm up both paths (connections, JIT, plan caches, prepared statements) before anything is timed.
  await throughput(unaudited, one, 200, CONCURRENCY);
  await throughput(audited, one, 200, CONCURRENCY);
  // Then the statistics a running installation has: this machine's PostgreSQL runs with
  // autovacuum off, and plans cached while orders and audit_events were empty (a scan of the
  // whole table, reasonable then) would otherwise stay on the connections as they grow.
  const owner = postgres(benchUrl, { max: 1, onnotice: () => {} });
  await owner`analyze`;
  await owner.end();
  const rows = ["| workload | without audit (ops/s) | with audit (ops/s) | with ÷ without (median of rounds) |", "| --- | ---: | ---: | ---: |"];
  const ratios: number[] = [];
  for (const [label, writers, concurrency] of workloads) {
    // ROUNDS short rounds, alternating which side goes first, so a burst of noise from the rest of
    // the machine hits both sides alike; the ratio is the median of the rounds' paired ratios,
    // which one noisy round cannot move, and the rates are over all rounds.
    const part = Math.max(1, Math.floor(WRITES / ROUNDS));
    let withoutTime = 0;
    let withTime = 0;
    const paired: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const first = round % 2 === 0;
      let without = 0;
      if (first) without = await throughput(unaudited, writers, part, concurrency);
      const withAudit = await throughput(audited, writers, part, concurrency);
      if (!first) without = await throughput(unaudited, writers, part, concurrency);
      withoutTime += part / without;
      withTime += part / withAudit;
      paired.push(withAudit / without);
    }
    const without = (ROUNDS * part) / withoutTime;
    const withAudit = (ROUNDS * part) / withTime;
    const ratio = median(paired);
    ratios.push(ratio);
    log(`  ${label}: ${without.toFixed(0)} without vs ${withAudit.toFixed(0)} with ops/s; round ratios ${paired.map((r) => r.toFixed(2)).join(" ")}`);
    rows.push(`| ${label} | ${without.toFixed(0)} | ${withAudit.toFixed(0)} | ${ratio.toFixed(2)} |`);
  }
  return { rows, ratios };
}

// ---- 2 and 3. a long chain: generate, verify, export ---------------------------------------------

const COLUMNS = "org_id, shard, seq, hash_version, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, branch_id, outcome, ip, user_agent, request_id, metadata, prev_hash, hash";
const ACTIONS = ["order.created", "branch.renamed", "grant.added", "auth.signout", "role.updated"];

/** COPY text format: \N for null; the generated values hold no tab, newline or backslash. */
const copyField = (value: string | number | null) => (value === null ? "\\N" : String(value));

/**
 * Appends `count` events to an org's chain as the owner, round-robin over its 16 shards (as
 * concurrent writers leave a busy org's chain), hashed exactly as audit_append hashes them, with
 * a checkpoint over all shard heads signed every CHECKPOINT_EVERY events per shard.
 */
async function generateChain(owner: postgres.Sql, org: OrgRef, count: number): Promise<void> {
  const existing = await owner`select shard, seq::int as seq, hash from audit_chain_heads(${org.id}::uuid)`;
  const heads: Array<[number, string]> = existing.map((r) => [r.seq as number, r.hash as string]);
  if (heads.some(([seq], shard) => shard > 0 && seq > 0)) throw new Error("expected a fresh org with events in shard 0 only");
  const key = loadSigningKey()!;
  const start = Date.now() - count; // one event per millisecond, ending now
  const actorId = crypto.randomUUID();
  const checkpoints: string[] = [];
  let written = 0;

  async function* batches(): AsyncGenerator<string> {
    while (written < count) {
      const lines: string[] = [];
      for (let n = 0; n < 10_000 && written < count; n++) {
        const shard = written % AUDIT_SHARDS;
        const seq = heads[shard]![0] + 1;
        const prevHash = heads[shard]![1];
        const occurredAt = new Date(start + written).toISOString();
        written++;
        const no = written;
        const fields = {
          orgId: org.id, shard, seq, occurredAt, actorType: "user", actorId, actorLabel: "buyer@bench.test", action: ACTIONS[no % ACTIONS.length]!,
          targetType: "order", targetId: crypto.randomUUID(), targetLabel: `PO-${no}`, branchId: null, outcome: "success", ip: "203.0.113.7",
          userAgent: "Mozilla/5.0 (bench)", requestId: crypto.randomUUID(),
          // Exactly as jsonb prints it (keys by length, then bytes), which is what the hash covers.
          metadataText: `{"after": {"lines": 3, "number": "PO-${no}", "status": "submitted", "totalMinor": ${no * 7}}}`,
          prevHash,
        };
        const hash = hashEventV2(fields);
        heads[shard] = [seq, hash];
        lines.push(
          [org.id, shard, seq, 2, occurredAt, fields.actorType, actorId, fields.actorLabel, fields.action, fields.targetType, fields.targetId, fields.targetLabel, null, fields.outcome, fields.ip, fields.userAgent, fields.requestId, fields.metadataText, prevHash, hash]
            .map(copyField)
            .join("\t"),
        );
        if (seq % CHECKPOINT_EVERY === 0) {
          const signedAt = new Date(start + written);
          const events = heads.reduce((sum, [s]) => sum + s, 0);
          const root = merkleRoot(heads);
          const signature = signMessage(key, checkpointMessage({ orgId: org.id, seq: events, hash: root, signedAt, version: 2 }));
          checkpoints.push([org.id, events, root, 2, JSON.stringify(heads), signedAt.toISOString(), key.keyId, signature].join("\t"));
        }
      }
      yield `${lines.join("\n")}\n`;
      if (written % 100_000 < 10_000) log(`  generated ${written.toLocaleString("en-US")} events`);
    }
  }
  await pipeline(Readable.from(batches()), await owner.unsafe(`copy audit_events (${COLUMNS}) from stdin`).writable());
  if (checkpoints.length) {
    await pipeline(Readable.from([`${checkpoints.join("\n")}\n`]), await owner`copy audit_checkpoints (org_id, seq, hash, version, heads, signed_at, key_id, signature) from stdin`.writable());
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - started) / 1000, value };
}

async function best<T>(runs: number, fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  let fastest: { seconds: number; value: T } | undefined;
  for (let i = 0; i < runs; i++) {
    const run = await timed(fn);
    if (!fastest || run.seconds < fastest.seconds) fastest = run;
  }
  return fastest!;
}

async function drain(chunks: AsyncGenerator<string>): Promise<number> {
  let bytes = 0;
  for await (const chunk of chunks) bytes += Buffer.byteLength(chunk);
  return bytes;
}

async function benchChain(): Promise<{ rows: string[]; verifyRate: number; exportRate: number }> {
  const owner = postgres(benchUrl, { max: 1, onnotice: () => {} });
  try {
    const created = await runCommand(createOrgCommand, systemPrincipal("bench"), meta, { name: "bench-chain", slug: `bench-chain-${process.pid}` });
    const org = { id: created.id, slug: created.slug, name: created.name };
    log(`Generating a chain of ${EVENTS.toLocaleString("en-US")} events...`);
    const generated = await timed(() => generateChain(owner, org, EVENTS - 1));
    await owner`vacuum analyze audit_events`;
    const total = EVENTS;
    log(`  generated and loaded in ${generated.seconds.toFixed(1)} s`);

    // As the app reads it: the app's role, in a transaction scoped to the org (readAs).
    const principal = systemPrincipal("bench", org);
    log("Verifying...");
    const verify = await best(2, () => readAs(principal, (tx) => verifyChain(tx, org.id)));
    if (!verify.value.intact || verify.value.events !== total) {
      throw new Error(`verifyChain did not verify the generated chain: ${JSON.stringify({ events: verify.value.events, firstBrokenShard: verify.value.firstBrokenShard, firstBrokenSeq: verify.value.firstBrokenSeq, problem: verify.value.problem })}`);
    }
    log("Exporting...");
    // Each batch in a scoped transaction of its own, as the HTTP export streams it.
    const read = <T>(fn: (tx: Parameters<typeof verifyChain>[0]) => Promise<T>) => readAs(principal, fn);
    const jsonl = await best(2, () => drain(exportAuditJsonl(getDb(), principal, {}, { read })));
    const csv = await timed(() => drain(exportAuditCsv(getDb(), principal, {}, { read })));

    const rate = (s: number) => Math.round(total / s).toLocaleString("en-US");
    const row = (label: string, s: number) => `| ${label} | ${s.toFixed(1)} | ${rate(s)} |`;
    return {
      rows: [
        `| over one chain of ${total.toLocaleString("en-US")} events in ${AUDIT_SHARDS} shards | seconds | events/s |`,
        "| --- | ---: | ---: |",
        row(`verifyChain (two COPY streams in disk order, re-hash every event on ${Math.min(2, availableParallelism())} worker threads, link per shard, check ${verify.value.checkpoints.verified} signed checkpoints)`, verify.seconds),
        row(`export, JSON Lines, lines written by PostgreSQL, two batches at once (${(jsonl.value / 1e6).toFixed(0)} MB)`, jsonl.seconds),
        row(`export, CSV (${(csv.value / 1e6).toFixed(0)} MB)`, csv.seconds),
      ],
      verifyRate: total / verify.seconds,
      exportRate: total / jsonl.seconds,
    };
  } finally {
    await owner.end({ timeout: 5 });
  }
}

async function main() {
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  await admin((s) => s.unsafe(`create database ${BENCH_DB}`));
  try {
    await migrateDatabase(benchUrl);
    // From here on every query runs as the app's role (countersign_app), as the app's do.
    delete process.env.DATABASE_ROLE;
    delete process.env.DATABASE_RLS_BYPASS;
    process.env.DATABASE_URL = benchUrl;
    process.env.AUDIT_CHECKPOINT_EVERY = String(CHECKPOINT_EVERY);
    // Appends sign a checkpoint every 1000 events of a shard, as in production.
    process.env.AUDIT_SIGNING_KEY = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const [version] = await admin((s) => s`select current_setting('server_version') as v`);
    log(`PostgreSQL ${version!.v}; ${BENCH_DB}; ${WRITES} writes per workload side${args.quick ? " (--quick)" : ""}.`);

    // --chain-only skips the writes (for profiling verify and export on their own).
    const writes = args["chain-only"] ? { rows: [], ratios: [] } : (log("Write throughput..."), await benchWrites());
    const chain = await benchChain();
    console.log(`\n${writes.rows.join("\n")}\n\n${chain.rows.join("\n")}`);
    console.log(`\nPostgreSQL ${version!.v}; ${availableParallelism()} cores; 1-minute load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end; ${((performance.now() - started) / 1000).toFixed(0)} s.`);
    const round = (n: number, digits: number) => Number(n.toFixed(digits));
    console.log(
      JSON.stringify({
        bench: "audit",
        quick: args.quick,
        writes: WRITES,
        events: EVENTS,
        ...(writes.ratios.length
          ? { with_over_without_1w: round(writes.ratios[0]!, 3), with_over_without_8w_1org: round(writes.ratios[1]!, 3), with_over_without_8w_8orgs: round(writes.ratios[2]!, 3) }
          : {}),
        verify_events_per_s: Math.round(chain.verifyRate),
        export_events_per_s: Math.round(chain.exportRate),
      }),
    );
  } finally {
    await closeDb();
    await admin((s) => s.unsafe(`drop database if exists ${BENCH_DB} with (force)`));
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
