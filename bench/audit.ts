/**
 * What the audit trail costs, on a fresh database, in one run:
 *   1. write throughput through runCommand (body + hash-chained append) against the same command
 *      body in a plain transaction without the append: one writer, 8 writers on one org (they
 *      queue on the org's chain lock), 8 writers spread over 8 orgs;
 *   2. verifyChain over a 1,000,000-event chain, against the same batched read without hashing
 *      and against hashing alone in memory;
 *   3. export rate of that chain as JSON Lines and CSV.
 * Run: npx tsx bench/audit.ts [--writes 2000] [--events 1000000]. Uses DATABASE_URL's server,
 * else postgres://postgres@127.0.0.1:5432/test; creates and finally drops cs_bench_audit.
 * Timings are noisy on a shared 2-core machine: compare the ratios within one run.
 */
import { generateKeyPairSync } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { closeDb, getDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { CHAIN_ZERO, checkpointMessage } from "@/lib/audit/checkpoint";
import { exportAuditCsv, exportAuditJsonl } from "@/lib/audit/export-audit-events";
import { hashEvent, type HashedEventFields } from "@/lib/audit/hash-event";
import { loadSigningKey, signMessage } from "@/lib/audit/signing-key";
import { verifyChain } from "@/lib/audit/verify-chain";
import { createBranchCommand } from "@/lib/branches/create-branch";
import type { CommandTx } from "@/lib/core/command-tx";
import { runCommand } from "@/lib/core/command";
import type { OrgRef, Principal } from "@/lib/core/context";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createOrgCommand } from "@/lib/orgs/create-org";

const { values: args } = parseArgs({ options: { writes: { type: "string", default: "2000" }, events: { type: "string", default: "1000000" } } });
const WRITES = Number(args.writes);
const EVENTS = Number(args.events);
const CONCURRENCY = 8;
const CHECKPOINT_EVERY = 1000; // the production default

const BENCH_DB = "cs_bench_audit";
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

async function createOrg(label: string): Promise<{ org: OrgRef; operator: Principal }> {
  const slug = `${label}-${Math.random().toString(36).slice(2, 8)}`;
  const org = await runCommand(createOrgCommand, systemPrincipal("bench"), meta, { name: label, slug });
  const ref = { id: org.id, slug: org.slug, name: org.name };
  return { org: ref, operator: systemPrincipal("bench", ref) };
}

// ---- 1. write throughput ---------------------------------------------------------------------

let branchNo = 0;
type Write = (operator: Principal) => Promise<unknown>;

/** runCommand: authorize, validate, the body, and the audit append, in one transaction. */
const audited: Write = (operator) => runCommand(createBranchCommand, operator, meta, { name: `Branch ${++branchNo}` });

/** The same body and the same validation in a plain transaction, without the audit append. */
const unaudited: Write = (operator) =>
  getDb().transaction((tx) => createBranchCommand.run({ tx: tx as CommandTx, principal: operator, meta, authorize: () => {}, requireStepUp: () => {} }, createBranchCommand.input.parse({ name: `Branch ${++branchNo}` })));

/** Runs `count` writes with `concurrency` in flight, round-robin over the operators; ops/s. */
async function throughput(write: Write, operators: Principal[], count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        await write(operators[i % operators.length]!);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

async function benchWrites(): Promise<string[]> {
  const one = (await createOrg("bench-one")).operator;
  const eight = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => createOrg(`bench-many-${i}`).then((o) => o.operator)));
  const workloads: Array<[string, Principal[], number]> = [
    ["1 writer, 1 org", [one], 1],
    [`${CONCURRENCY} writers, 1 org (one chain: appends queue on its lock)`, [one], CONCURRENCY],
    [`${CONCURRENCY} writers, ${CONCURRENCY} orgs (${CONCURRENCY} chains)`, eight, CONCURRENCY],
  ];
  // Warm up both paths (connections, JIT, plan cache) before anything is timed.
  await throughput(unaudited, [one], 200, 1);
  await throughput(audited, [one], 200, 1);
  const rows = ["| workload | without audit (ops/s) | with audit (ops/s) | with ÷ without |", "| --- | ---: | ---: | ---: |"];
  for (const [label, operators, concurrency] of workloads) {
    // Alternating halves, so a burst of noise from the rest of the machine hits both sides alike.
    const half = Math.floor(WRITES / 2);
    let withoutTime = 0;
    let withTime = 0;
    for (let round = 0; round < 2; round++) {
      withoutTime += half / (await throughput(unaudited, operators, half, concurrency));
      withTime += half / (await throughput(audited, operators, half, concurrency));
    }
    const without = (2 * half) / withoutTime;
    const withAudit = (2 * half) / withTime;
    log(`  ${label}: ${without.toFixed(0)} vs ${withAudit.toFixed(0)} ops/s`);
    rows.push(`| ${label} | ${without.toFixed(0)} | ${withAudit.toFixed(0)} | ${(withAudit / without).toFixed(2)} |`);
  }
  return rows;
}

// ---- 2 and 3. a long chain: generate, verify, export ---------------------------------------------

const COLUMNS = "org_id, seq, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, branch_id, outcome, ip, user_agent, request_id, metadata, prev_hash, hash";
const ACTIONS = ["order.created", "branch.renamed", "grant.added", "auth.signout", "role.updated"];

/** COPY text format: \N for null; the generated values hold no tab, newline or backslash. */
const copyField = (value: string | number | null) => (value === null ? "\\N" : String(value));

/**
 * Appends `count` events to an org's chain as the owner, hashed exactly as the app hashes them
 * (hashEvent) and signed every CHECKPOINT_EVERY events, in COPY batches of 10,000 rows.
 */
async function generateChain(owner: postgres.Sql, org: OrgRef, count: number): Promise<void> {
  const [head] = await owner`select seq::int as seq, hash, occurred_at from audit_events where org_id = ${org.id} order by seq desc limit 1`;
  const key = loadSigningKey()!;
  let seq = head!.seq as number;
  let prevHash = head!.hash as string;
  const start = (head!.occurred_at as Date).getTime() + 1;
  const actorId = crypto.randomUUID();
  const checkpoints: string[] = [];

  async function* batches(): AsyncGenerator<string> {
    const last = seq + count;
    while (seq < last) {
      const lines: string[] = [];
      for (let n = 0; n < 10_000 && seq < last; n++) {
        seq++;
        const fields = sampleEvent(org.id, seq, new Date(start + seq), actorId, prevHash);
        const hash = hashEvent(fields);
        lines.push(
          [fields.orgId, seq, fields.occurredAt.toISOString(), fields.actorType, fields.actorId, fields.actorLabel, fields.action, fields.targetType, fields.targetId, fields.branchId, fields.outcome, fields.ip, fields.userAgent, fields.requestId, JSON.stringify(fields.metadata), prevHash, hash]
            .map(copyField)
            .join("\t"),
        );
        prevHash = hash;
        if (seq % CHECKPOINT_EVERY === 0) {
          const signedAt = new Date(start + seq);
          const signature = signMessage(key, checkpointMessage({ orgId: org.id, seq, hash, signedAt }));
          checkpoints.push([org.id, seq, hash, signedAt.toISOString(), key.keyId, signature].join("\t"));
        }
      }
      yield `${lines.join("\n")}\n`;
      if (seq % 100_000 < 10_000) log(`  generated ${seq.toLocaleString("en-US")} events`);
    }
  }
  await pipeline(Readable.from(batches()), await owner.unsafe(`copy audit_events (${COLUMNS}) from stdin`).writable());
  if (checkpoints.length) await pipeline(Readable.from([`${checkpoints.join("\n")}\n`]), await owner`copy audit_checkpoints (org_id, seq, hash, signed_at, key_id, signature) from stdin`.writable());
}

function sampleEvent(orgId: string, seq: number, occurredAt: Date, actorId: string, prevHash: string): HashedEventFields {
  return {
    orgId,
    seq,
    occurredAt,
    actorType: "user",
    actorId,
    actorLabel: "buyer@bench.test",
    action: ACTIONS[seq % ACTIONS.length]!,
    targetType: "order",
    targetId: crypto.randomUUID(),
    branchId: null,
    outcome: "success",
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0 (bench)",
    requestId: crypto.randomUUID(),
    metadata: { after: { number: `PO-${seq}`, status: "submitted", totalMinor: seq * 7, lines: 3 } },
    prevHash,
  };
}

/** The hashing share of verification: the same number of events hashed in memory, no database. */
function hashOnly(count: number): string {
  const actorId = crypto.randomUUID();
  const orgId = crypto.randomUUID();
  let prevHash = "0".repeat(64);
  for (let seq = 1; seq <= count; seq++) prevHash = hashEvent(sampleEvent(orgId, seq, new Date(1_780_000_000_000 + seq), actorId, prevHash));
  return prevHash;
}

/** verifyChain's batched keyset read of the same columns, with no hashing: the I/O floor. */
async function readChainOnly(orgId: string): Promise<number> {
  let last = 0;
  let rows = 0;
  for (;;) {
    const batch = await getDb().execute<{ seq: string }>(sql`
      select id::text, seq::text as seq, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at,
             actor_type, actor_id, actor_label, action, target_type, target_id, branch_id, outcome, ip, user_agent,
             request_id, metadata, prev_hash, hash
      from audit_events where coalesce(org_id, ${CHAIN_ZERO}::uuid) = ${orgId}::uuid and seq > ${last} order by audit_events.seq limit 5000`);
    if (batch.length === 0) return rows;
    rows += batch.length;
    last = Number(batch[batch.length - 1]!.seq);
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

async function benchChain(): Promise<string[]> {
  const owner = postgres(benchUrl, { max: 1, onnotice: () => {} });
  try {
    const { org } = await createOrg("bench-chain");
    log(`Generating a chain of ${EVENTS.toLocaleString("en-US")} events...`);
    const generated = await timed(() => generateChain(owner, org, EVENTS - 1));
    await owner`vacuum analyze audit_events`;
    const total = EVENTS;
    log(`  generated and loaded in ${generated.seconds.toFixed(1)} s`);

    // Best of two: on a shared machine the slower run is mostly someone else's load.
    log("Verifying...");
    const verify = await best(2, () => verifyChain(getDb(), org.id));
    if (!verify.value.intact || verify.value.events !== total) {
      throw new Error(`verifyChain did not verify the generated chain: ${JSON.stringify({ events: verify.value.events, firstBrokenSeq: verify.value.firstBrokenSeq, problem: verify.value.problem })}`);
    }
    log("Reading without hashing...");
    const read = await best(2, () => readChainOnly(org.id));
    log("Hashing in memory...");
    const hash = await best(2, async () => hashOnly(total));
    log("Exporting...");
    const principal = systemPrincipal("bench", org);
    const jsonl = await timed(() => drain(exportAuditJsonl(getDb(), principal, {})));
    const csv = await timed(() => drain(exportAuditCsv(getDb(), principal, {})));

    const rate = (s: number) => Math.round(total / s).toLocaleString("en-US");
    const row = (label: string, s: number, extra = "") => `| ${label} | ${s.toFixed(1)} | ${rate(s)} | ${(s / verify.seconds).toFixed(2)} |${extra}`;
    return [
      `| over one chain of ${total.toLocaleString("en-US")} events | seconds | events/s | × verify time |`,
      "| --- | ---: | ---: | ---: |",
      row(`verifyChain (read, re-hash every event, check ${verify.value.checkpoints.verified} signed checkpoints)`, verify.seconds),
      row("the same batched read, no hashing", read.seconds),
      row("hashEvent alone, in memory (no database)", hash.seconds),
      row(`export, JSON Lines (${(jsonl.value / 1e6).toFixed(0)} MB)`, jsonl.seconds),
      row(`export, CSV (${(csv.value / 1e6).toFixed(0)} MB)`, csv.seconds),
    ];
  } finally {
    await owner.end({ timeout: 5 });
  }
}

async function main() {
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  await admin((s) => s.unsafe(`drop database if exists ${BENCH_DB} with (force)`));
  await admin((s) => s.unsafe(`create database ${BENCH_DB}`));
  try {
    await migrateDatabase(benchUrl);
    process.env.DATABASE_URL = benchUrl;
    process.env.AUDIT_CHECKPOINT_EVERY = String(CHECKPOINT_EVERY);
    // Appends sign a checkpoint every 1000 events, as in production.
    process.env.AUDIT_SIGNING_KEY = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const [version] = await admin((s) => s`select current_setting('server_version') as v`);
    log(`PostgreSQL ${version!.v}; ${WRITES} writes per workload side.`);

    log("Write throughput...");
    const writes = await benchWrites();
    const chain = await benchChain();
    console.log(`\n${writes.join("\n")}\n\n${chain.join("\n")}`);
    console.log(`\nPostgreSQL ${version!.v}; ${availableParallelism()} cores; 1-minute load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end.`);
    log(`\nTotal ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    await closeDb();
    await admin((s) => s.unsafe(`drop database if exists ${BENCH_DB} with (force)`));
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
