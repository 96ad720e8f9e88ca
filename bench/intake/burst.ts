/**
 * A 100,000-order burst (issue 14): JSON orders from 4 accounts arrive through the real acceptance
 * route handler (in process, 32 in flight) as fast as it takes them, while the intake.process
 * worker (pg-boss 12, 4 workers, as the embedded server runs it) drains them. 1 in 100 payloads is
 * sent a second time with the same bytes, as a sender retrying after a timeout would. Reported:
 * how long acceptance took, the time to drain (first payload to an empty queue), the peak queue
 * depth and lag as /api/health reports them (sampled each second), 429 answers, and the checks
 * that nothing was lost or made twice: every accepted message done, one created document per
 * order number, one order per document, and each re-send answered with its first id.
 *
 *   npx tsx bench/intake/burst.ts [--quick] [--orders 100000] [--accounts 4]
 *   --quick: 3,000 orders. The last line is one JSON object with the figures.
 *
 * DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test); creates and finally drops
 * cs_bench_intake_burst. The channel's backpressure depth is raised above the burst, so the whole
 * burst is queued at once (with the default depth of 10,000, acceptance answers 429 past it).
 */
import "../../scripts/lib/require-node-24";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";
import { startAutovacuumStandIn } from "../support/autovacuum-stand-in";
import { generateMfaEncryptionKey } from "@/lib/mfa/secret-box";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, orders: { type: "string" }, accounts: { type: "string" } } });
const ORDERS = Number(values.orders ?? (values.quick ? 3_000 : 100_000));
const ACCOUNTS = Number(values.accounts ?? 4);
const IN_FLIGHT = 32;
const WORKERS = 4;
const DB = "cs_bench_intake_burst";
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${DB}` }).toString();
const log = (line: string) => process.stderr.write(`${line}\n`);

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.unsafe(`create database ${DB}`);
await migrateDatabase(benchUrl);
// The tables the burst fills from empty and whose rows change state (jobs, messages), vacuumed
// and analyzed once a minute where autovacuum is off (this machine's server). Without it the
// plans stay those of empty tables and the dead rows pile up: on the first 100,000-order run the
// drain slowed from about 120 to 47 orders/s by the 60,000th order.
const standIn = await startAutovacuumStandIn(benchUrl, ["intake_messages", "intake_documents", "orders", "order_lines", "audit_events", "pgboss.job_common"], 60_000, { vacuum: true });
process.env.DATABASE_URL = benchUrl;
process.env.DATABASE_POOL_SIZE = "16";
process.env.MFA_ENCRYPTION_KEY ??= generateMfaEncryptionKey();

const { closeDb, getDb, getSql } = await import("@/db/client");
const { withTenantScope } = await import("@/db/tenant-scope");
const { runCommand } = await import("@/lib/core/command");
const { systemMeta } = await import("@/lib/core/request-meta");
const { systemPrincipal } = await import("@/lib/core/system-principal");
const { createChannelCommand } = await import("@/lib/intake/channels/create-channel");
const { addMappingCommand } = await import("@/lib/intake/channels/add-mapping");
const { stopIntakeJobSender } = await import("@/lib/intake/inbox/intake-job-sender");
const { readIntakeHealth } = await import("@/lib/intake/process/read-intake-health");
const { startIntakeWorker } = await import("@/lib/intake/process/intake-worker");
const { JOB_SCHEMA } = await import("@/db/job-schema");
const { adaptPostgresJs } = await import("@/db/pg-boss-adapter");
const acceptRoute = await import("@/app/api/v1/intake/channels/[id]/messages/route");
const { PgBoss } = await import("pg-boss");
const { sql } = await import("drizzle-orm");
const { createIntakeBenchWorld, jsonOrder } = await import("./world");

const db = getDb();
const meta = systemMeta("bench");
const { supplier, accounts } = await createIntakeBenchWorld(db, ACCOUNTS, log);
const staff = systemPrincipal("bench", supplier);
const channel = await runCommand(createChannelCommand, staff, meta, { name: "Burst JSON", format: "json", maxDepth: ORDERS + 10_000 }, db);
for (const [i, account] of accounts.entries()) {
  await runCommand(addMappingCommand, staff, meta, { channelId: channel.id, senderId: `bench-${i}`, account: account.slug, branchId: account.branchId }, db);
}

const boss = new PgBoss({ db: adaptPostgresJs(getSql()), schema: JOB_SCHEMA, migrate: false, createSchema: false, reindex: false, supervise: false, schedule: false });
boss.on("error", (error) => log(`pg-boss: ${String(error)}`));
await boss.start();
await startIntakeWorker(boss, { db, concurrency: WORKERS, perChannel: WORKERS });

const url = channel.url.replace(/^https?:\/\/[^/]+/, "http://localhost");
let tooBusy = 0;
/** One POST through the route handler; a 429 is retried after its Retry-After, as a sender would. */
async function send(body: string): Promise<string> {
  for (;;) {
    const request = new Request(url, { method: "POST", headers: { authorization: `Bearer ${channel.token}`, "content-type": "application/json" }, body });
    const response = await acceptRoute.POST(request, { params: Promise.resolve({ id: channel.id }) });
    if (response.status === 202) return ((await response.json()) as { id: string }).id;
    if (response.status !== 429) throw new Error(`acceptance answered ${response.status}: ${await response.text()}`);
    tooBusy++;
    await new Promise((r) => setTimeout(r, 1000 * Number(response.headers.get("retry-after") ?? 1)));
  }
}

// Sampled as /api/health reads them, from the first payload until the queue is empty.
const samples: Array<{ t: number; depth: number; lag: number }> = [];
let sampling = true;
const started = performance.now();
const sampler = (async () => {
  while (sampling) {
    const health = await readIntakeHealth(db);
    samples.push({ t: (performance.now() - started) / 1000, depth: health.queueDepth, lag: health.lagSeconds ?? 0 });
    await new Promise((r) => setTimeout(r, 1000));
  }
})();

log(`burst: ${ORDERS} orders, ${IN_FLIGHT} in flight...`);
const bodies = Array.from({ length: ORDERS }, (_, n) => jsonOrder(n, n % ACCOUNTS));
// Each payload's first answer, kept as a promise: a re-send compares with it once it is in, even
// when that first send is still in flight (held back by a 429) when the re-send is due.
const firstIds = new Array<Promise<string>>(ORDERS);
let resends = 0;
let resendMismatches = 0;
let next = 0;
await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
  while (next < ORDERS) {
    const n = next++;
    firstIds[n] = send(bodies[n]!);
    await firstIds[n];
    // The same bytes again for one in a hundred, once the first is in: the same id, no new message.
    if (n % 100 === 99) {
      resends++;
      const first = await firstIds[n - 50]!;
      if ((await send(bodies[n - 50]!)) !== first) resendMismatches++;
    }
    if (n % 10_000 === 9_999) log(`  accepted ${n + 1}`);
  }
}));
const acceptedSeconds = (performance.now() - started) / 1000;
log(`accepted in ${acceptedSeconds.toFixed(1)} s; draining...`);
for (;;) {
  const health = await readIntakeHealth(db);
  if (health.queueDepth === 0) break;
  await new Promise((r) => setTimeout(r, 250));
}
const drainSeconds = (performance.now() - started) / 1000;
sampling = false;
await sampler;
await boss.stop({ graceful: true, close: false, timeout: 10_000 });
await stopIntakeJobSender();

const [check] = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) =>
  tx.execute<{ messages: number; done: number; documents: number; created: number; numbers: number; orders: number; distinctOrders: number; dead: number }>(sql`
    select (select count(*)::int from intake_messages where channel_id = ${channel.id}) as messages,
           (select count(*)::int from intake_messages where channel_id = ${channel.id} and status = 'done') as done,
           (select count(*)::int from intake_documents where channel_id = ${channel.id}) as documents,
           (select count(*)::int from intake_documents where channel_id = ${channel.id} and status = 'created') as created,
           (select count(distinct document_number)::int from intake_documents where channel_id = ${channel.id} and status = 'created') as numbers,
           (select count(*)::int from orders where org_id in (select org_id from accounts where supplier_id = ${supplier.id})) as orders,
           (select count(distinct order_id)::int from intake_documents where channel_id = ${channel.id} and order_id is not null) as "distinctOrders",
           (select count(*)::int from intake_dead_letters where channel_id = ${channel.id}) as dead`), db);
await standIn.stop();
await closeDb();
await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.end();

const c = check!;
const lost = ORDERS - c.created;
const duplicated = c.created - c.numbers + (c.orders - c.distinctOrders) + resendMismatches + (c.messages - ORDERS);
const peakDepth = Math.max(0, ...samples.map((s) => s.depth));
const peakLag = Math.max(0, ...samples.map((s) => s.lag));
const n = (x: number) => Math.round(x).toLocaleString("en-US");
console.log(`\nIntake burst: ${n(ORDERS)} JSON orders from ${ACCOUNTS} accounts, ${IN_FLIGHT} in flight, ${WORKERS} workers (load ${loadavg()[0]!.toFixed(1)} at end)\n`);
console.log("| measure | figure |");
console.log("| --- | ---: |");
console.log(`| accepted (202), durable | ${n(ORDERS)} in ${acceptedSeconds.toFixed(1)} s (${n(ORDERS / acceptedSeconds)}/s) |`);
console.log(`| time to drain, first payload to an empty queue | ${drainSeconds.toFixed(1)} s (${n(ORDERS / drainSeconds)} orders/s) |`);
console.log(`| peak queue depth / peak lag (as /api/health reports) | ${n(peakDepth)} / ${peakLag} s |`);
console.log(`| re-sends of the same bytes answered with their first id | ${resends - resendMismatches} of ${resends} |`);
console.log(`| 429 answers (retried after Retry-After) | ${tooBusy} |`);
console.log(`| messages / done / documents / created / dead letters | ${n(c.messages)} / ${n(c.done)} / ${n(c.documents)} / ${n(c.created)} / ${c.dead} |`);
console.log(`| orders in the accounts / distinct orders of the documents | ${n(c.orders)} / ${n(c.distinctOrders)} |`);
console.log(`| lost / duplicated | ${lost} / ${duplicated} |`);
console.log(`\nautovacuum on the server: ${standIn.active ? "off, so the bench vacuumed and analyzed the tables it fills once a minute (bench/support/autovacuum-stand-in.ts)" : "on"}.`);
console.log(JSON.stringify({ bench: "intake-burst", quick: values.quick, orders: ORDERS, accepted_s: Math.round(acceptedSeconds * 10) / 10, drain_s: Math.round(drainSeconds * 10) / 10, drain_orders_per_s: Math.round(ORDERS / drainSeconds), peak_depth: peakDepth, peak_lag_s: peakLag, resends, too_busy: tooBusy, lost, duplicated, autovacuum_stand_in: standIn.active }));
