/**
 * Intake processing, end to end: orders per second from a stored inbox message to a created,
 * approved order (parse → plan → order.received through the command wrapper, with its audit event →
 * document row), per format, JSON and X12 850. Two ways: the job's body called by 4 concurrent
 * workers (processMessage), and the same through pg-boss 12 (jobs sent, the intake.process worker
 * with 4 workers, group concurrency per channel), which adds dispatch. The peer on the same payloads
 * is the parser alone (parsePayload), so the table says what the database work costs over parsing.
 *
 *   npx tsx bench/intake/process.ts [--quick] [--orders 2000] [--accounts 4]
 *
 * DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test); creates and finally drops
 * cs_bench_intake_process. Messages are stored as acceptance stores them (one order each). Target
 * (issue 14): ≥ 500 orders/s for JSON and X12. Prints a table, then one JSON line.
 */
import "../../scripts/lib/require-node-24";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, orders: { type: "string" }, accounts: { type: "string" } } });
const perFormat = Number(values.orders ?? (values.quick ? 400 : 2000));
const accountCount = Number(values.accounts ?? 4);
const WORKERS = 4;
const DB = "cs_bench_intake_process";
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${DB}` }).toString();
const log = (line: string) => process.stderr.write(`${line}\n`);

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.unsafe(`create database ${DB}`);
await migrateDatabase(benchUrl);
process.env.DATABASE_URL = benchUrl;
process.env.DATABASE_POOL_SIZE = "12";

const { closeDb, getDb, getSql } = await import("@/db/client");
const { createIntakeBenchWorld, jsonOrder } = await import("./world");
const { withTenantScope } = await import("@/db/tenant-scope");
const { intakeChannelMappings, intakeChannels, intakeDocuments, intakeMessages } = await import("@/db/schema");
const { parsePayload } = await import("@/lib/intake/parse-payload");
const { processMessage } = await import("@/lib/intake/process/process-message");
const { startIntakeWorker } = await import("@/lib/intake/process/intake-worker");
const { intakeJobOptions } = await import("@/lib/intake/process/intake-job");
const { JOB_QUEUES, JOB_SCHEMA } = await import("@/db/job-schema");
const { adaptPostgresJs } = await import("@/db/pg-boss-adapter");
const { PgBoss } = await import("pg-boss");
const { and, eq, inArray, sql } = await import("drizzle-orm");
type IntakeFormat = import("@/lib/intake/parse-payload").IntakeFormat;

const db = getDb();
const operatorScope = { orgId: null, userId: null, bypass: true };
const { supplier, accounts } = await createIntakeBenchWorld(db, accountCount, log);

const x12Sample = readFileSync("tests/fixtures/intake/x12-850/node-x12_850.edi", "latin1");
/** The X12 sample with its own PO number and sender per account (ISA06 stays 15 wide). */
function x12(n: number, account: number): string {
  const sender = `BENCH${String(account).padStart(5, "0")}`.padEnd(15);
  return x12Sample.replace("4405197800     ", sender).replace("*4405197800*", `*BENCH${String(account).padStart(5, "0")}*`).replace("08292233294", `PO${String(n).padStart(9, "0")}`);
}
async function makeChannel(format: IntakeFormat, senderOf: (a: number) => string) {
  return withTenantScope(operatorScope, async (tx) => {
    const [channel] = await tx.insert(intakeChannels).values({ orgId: supplier.id, name: `bench ${format}`, format, tokenHash: createHash("sha256").update(`${format}${Math.random()}`).digest("hex"), rules: {} }).returning();
    await tx.insert(intakeChannelMappings).values(accounts.map((a, i) => ({ orgId: supplier.id, channelId: channel!.id, senderId: senderOf(i), accountId: a.id, branchId: a.branchId })));
    return channel!;
  }, db);
}

async function store(channelId: string, payloads: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < payloads.length; i += 500) {
    const rows = payloads.slice(i, i + 500).map((p) => { const raw = Buffer.from(p, "latin1"); return { orgId: supplier.id, channelId, raw, rawSha256: createHash("sha256").update(raw).digest("hex"), headers: {} }; });
    const inserted = await withTenantScope(operatorScope, (tx) => tx.insert(intakeMessages).values(rows).returning({ id: intakeMessages.id }), db);
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

async function createdCount(ids: string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const [row] = await withTenantScope(operatorScope, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(intakeDocuments).where(and(inArray(intakeDocuments.messageId, ids.slice(i, i + 1000)), eq(intakeDocuments.status, "created"))), db);
    n += row!.n;
  }
  return n;
}

/** The job's body, 4 workers pulling from one list. */
async function direct(ids: string[]): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    while (next < ids.length) await processMessage(ids[next++]!, { db });
  }));
  return ids.length / ((performance.now() - start) / 1000);
}

/** Through pg-boss: send every job (as acceptance does, grouped by channel), drain with the worker. */
async function viaQueue(boss: InstanceType<typeof PgBoss>, channelId: string, ids: string[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < ids.length; i += 500) {
    await boss.insert(JOB_QUEUES.intakeProcess, ids.slice(i, i + 500).map((messageId) => ({ data: { messageId }, ...intakeJobOptions(channelId) })));
  }
  for (;;) {
    const [row] = await withTenantScope(operatorScope, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(intakeMessages).where(and(eq(intakeMessages.channelId, channelId), inArray(intakeMessages.status, ["received", "processing"]))), db);
    if (row!.n === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return ids.length / ((performance.now() - start) / 1000);
}

function parseRate(format: IntakeFormat, payloads: string[]): number {
  const start = performance.now();
  for (const p of payloads) parsePayload(format, Buffer.from(p, "latin1"));
  return payloads.length / ((performance.now() - start) / 1000);
}

const formats: Array<{ format: IntakeFormat; make: (n: number, a: number) => string; sender: (a: number) => string }> = [
  { format: "json", make: jsonOrder, sender: (a) => `bench-${a}` },
  { format: "x12-850", make: x12, sender: (a) => `BENCH${String(a).padStart(5, "0")}` },
];
const boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false, supervise: false, schedule: false });
await boss.start();
await startIntakeWorker(boss, { db, concurrency: WORKERS, perChannel: WORKERS });

const results: Record<string, { parsePerSec: number; directPerSec: number; queuePerSec: number; created: number; expected: number }> = {};
let serial = 0;
for (const { format, make, sender } of formats) {
  const channel = await makeChannel(format, sender);
  const batch = () => Array.from({ length: perFormat }, () => { const n = serial++; return make(n, n % accountCount); });
  const directPayloads = batch();
  const queuePayloads = batch();
  const parsePerSec = parseRate(format, directPayloads);
  log(`${format}: storing ${perFormat * 2} messages...`);
  const directIds = await store(channel.id, directPayloads);
  const queueIds = await store(channel.id, queuePayloads);
  const directPerSec = await direct(directIds);
  const queuePerSec = await viaQueue(boss, channel.id, queueIds);
  const created = await createdCount([...directIds, ...queueIds]);
  results[format] = { parsePerSec, directPerSec, queuePerSec, created, expected: perFormat * 2 };
  log(`${format}: parse ${parsePerSec.toFixed(0)}/s, processMessage ${directPerSec.toFixed(0)}/s, via pg-boss ${queuePerSec.toFixed(0)}/s, created ${created}/${perFormat * 2}`);
}
await boss.stop({ graceful: false, close: false });

const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
console.log(`\nIntake processing, ${perFormat} orders per format and path, ${WORKERS} workers, ${accountCount} accounts (load ${loadavg()[0]!.toFixed(1)})\n`);
console.log(row(["format", "parse only /s", "processMessage /s", "via pg-boss /s", "parse ÷ process", "created"]));
console.log(row(["---", "---:", "---:", "---:", "---:", "---:"]));
for (const [format, r] of Object.entries(results)) {
  console.log(row([format, r.parsePerSec.toFixed(0), r.directPerSec.toFixed(0), r.queuePerSec.toFixed(0), `${(r.parsePerSec / r.directPerSec).toFixed(1)}×`, `${r.created}/${r.expected}`]));
}
await closeDb();
await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.end();
console.log(JSON.stringify({ bench: "intake-process", ordersPerFormat: perFormat, workers: WORKERS, target: 500, results }));
