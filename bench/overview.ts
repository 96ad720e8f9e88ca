/**
 * The overview's order figures at 10,000,000 orders: from the weekly rollup (what the page reads)
 * against the same figures summed straight from `orders` (the peer), for three scopes.
 *
 *   npx tsx bench/overview.ts [--quick] [--orders 10000000] [--runs 15]
 *   --quick: 200,000 orders, 9 runs. The last line is one JSON object.
 *
 * DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test); creates and finally
 * drops cs_bench_overview. The org, its 4 regions × 10 branches and the three personas are made
 * by the app's commands; 400 buyers (10 per branch) and the orders are generated in SQL
 * (generate_series, two years, statuses and currencies mixed) with the order triggers off and
 * the indexes built after, then both rollups are rebuilt in one statement each. Every figure runs
 * through lib/overview as the app's role under row-level security, in the persona's scope:
 * an org-root Admin, a regional Manager (10 branches), and a Buyer at one branch.
 */
import "../scripts/lib/require-node-24";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";
import { fmt, markdownTable, msSince, nowNs, percentile, ratio } from "./access/stats";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, orders: { type: "string" }, runs: { type: "string" } } });
const quick = values.quick;
const orderCount = Number(values.orders ?? (quick ? 200_000 : 10_000_000));
const runs = Number(values.runs ?? (quick ? 9 : 15));
const DB = "cs_bench_overview";
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${DB}` }).toString();
const log = (line: string) => process.stderr.write(`${line}\n`);

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.unsafe(`create database ${DB}`);
await migrateDatabase(benchUrl);
process.env.DATABASE_URL = benchUrl;
process.env.DATABASE_POOL_SIZE = "2";

// Imported after DATABASE_URL points at the bench database: the app's pool reads it once.
const { closeDb, getDb } = await import("@/db/client");
const { runCommand } = await import("@/lib/core/command");
const { readAs } = await import("@/lib/core/read-as");
const { systemPrincipal } = await import("@/lib/core/system-principal");
const { systemMeta } = await import("@/lib/core/request-meta");
const { createOrgCommand } = await import("@/lib/orgs/create-org");
const { createBranchCommand } = await import("@/lib/branches/create-branch");
const { createMemberCommand } = await import("@/lib/identity/create-member");
const { loadMemberPrincipal } = await import("@/lib/identity/load-member-principal");
const figures = await import("@/lib/overview/order-figures");
const { loadOrderOverview } = await import("@/lib/overview/load-order-overview");
const { ordersSource, rollupSource } = await import("@/lib/overview/order-source");
const { overviewWindow } = await import("@/lib/overview/overview-window");
type Principal = import("@/lib/core/context").Principal;
type Source = import("@/lib/overview/order-source").OrderFigureSource;

const meta = systemMeta("bench");
const db = getDb();
const load = loadavg().map((l) => l.toFixed(1)).join(" ");

// The org and the personas, through the commands.
const org = await runCommand(createOrgCommand, systemPrincipal("bench"), meta, { name: "Bench Overview", slug: "bench-overview" }, db);
const op = systemPrincipal("bench", org);
const regions: Array<{ id: string; branches: string[] }> = [];
for (let r = 0; r < 4; r++) {
  const region = await runCommand(createBranchCommand, op, meta, { name: `Region ${r + 1}` }, db);
  const branches: string[] = [];
  for (let b = 0; b < 10; b++) branches.push((await runCommand(createBranchCommand, op, meta, { name: `Branch ${r + 1}.${b + 1}`, parentId: region.id }, db)).id);
  regions.push({ id: region.id, branches });
}
async function persona(roleName: string, branchId: string | null): Promise<Principal> {
  const email = `${roleName.toLowerCase()}@bench.test`;
  const m = await runCommand(createMemberCommand, op, meta, { email, password: "bench password 2026", roleName, branchId }, db);
  return (await loadMemberPrincipal(db, { type: "user", userId: m.userId, label: email }, org.slug))!;
}
const personas: Record<string, Principal> = {
  "Admin (org root)": await persona("Admin", null),
  "Manager (one region)": await persona("Manager", regions[0]!.id),
  "Buyer (one branch)": await persona("Buyer", regions[0]!.branches[0]!),
};

// Buyers and orders in bulk, as the owner.
const owner = postgres(benchUrl, { max: 1, onnotice: () => {} });
const started = nowNs();
const allBranches = regions.flatMap((r) => r.branches);
await owner.unsafe(`set synchronous_commit = off`);
await owner.unsafe(`set maintenance_work_mem = '256MB'`);
await owner.unsafe(`insert into users (email, name) select 'buyer' || g || '@bench.test', 'Buyer ' || g from generate_series(1, 400) g`);
const indexes = await owner<{ indexname: string; indexdef: string }[]>`select indexname, indexdef from pg_indexes where tablename = 'orders' and indexname <> 'orders_pkey'`;
for (const i of indexes) await owner.unsafe(`drop index ${i.indexname}`);
await owner.unsafe(`alter table orders disable trigger user`);
const branchArray = `array[${allBranches.map((id) => `'${id}'::uuid`).join(",")}]`;
const perBatch = 1_000_000;
for (let done = 0; done < orderCount; done += perBatch) {
  const n = Math.min(perBatch, orderCount - done);
  // Order i: branch i % 40, one of that branch's 10 buyers, placed over two years (newest first);
  // status and currency hashed from i, independent of branch and buyer, so each buyer's week has
  // every status and both currencies, as a busy org's would (the rollup's worst case).
  await owner.unsafe(`
    with b as (select ${branchArray} as branches, (select array_agg(id order by email) from users where email like 'buyer%@bench.test') as buyers)
    insert into orders (org_id, number, branch_id, buyer_id, status, currency, subtotal_minor, total_minor, placed_at)
    select '${org.id}', 'PO-' || i, b.branches[1 + i % 40], b.buyers[1 + (i % 40) * 10 + (i / 40) % 10],
      (array['submitted','approved','fulfilled','fulfilled','fulfilled','draft','rejected','cancelled'])[1 + abs(hashint4(i::int)) % 8]::order_status,
      case when abs(hashint4(i::int + 7)) % 10 = 0 then 'EUR' else 'USD' end, 1000 + (i::bigint * 7919) % 900000, 1000 + (i::bigint * 7919) % 900000,
      now() - (i::float8 / ${orderCount} * 730) * interval '1 day'
    from generate_series(${done + 1}, ${done + n}) i, b`);
  log(`  ${(done + n).toLocaleString("en-US")} orders`);
}
await owner.unsafe(`alter table orders enable trigger user`);
for (const i of indexes) await owner.unsafe(i.indexdef);
await owner.unsafe(`insert into order_monthly_totals select org_id, date_trunc('month', placed_at at time zone 'UTC')::date, currency, status, count(*), sum(total_minor) from orders group by 1, 2, 3, 4`);
await owner.unsafe(`insert into order_weekly_totals select org_id, date_trunc('week', placed_at at time zone 'UTC')::date, branch_id, buyer_id, status, currency, count(*), sum(total_minor) from orders group by 1, 2, 3, 4, 5, 6`);
await owner.unsafe(`vacuum analyze orders`);
await owner.unsafe(`vacuum analyze order_weekly_totals`);
const [{ rollup_rows }] = (await owner`select count(*)::int as rollup_rows from order_weekly_totals`) as unknown as [{ rollup_rows: number }];
log(`generated ${orderCount.toLocaleString("en-US")} orders (${rollup_rows.toLocaleString("en-US")} rollup rows) in ${fmt(msSince(started) / 1000)} s`);

const window = overviewWindow();
async function p95(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm the plan and the cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = nowNs();
    await fn();
    samples.push(msSince(t));
  }
  return percentile(samples, 95);
}
const figureFns: Record<string, (p: Principal, s: Source) => Promise<unknown>> = {
  "per week and branch": (p, s) => readAs(p, (tx) => figures.sumOrdersByWeek(tx, p, s, window)),
  "by status": (p, s) => readAs(p, (tx) => figures.sumOrdersByStatus(tx, p, s, window)),
  "top buyers": (p, s) => readAs(p, (tx) => figures.rankBuyers(tx, p, s, window)),
  "top branches": (p, s) => readAs(p, (tx) => figures.rankBranches(tx, p, s, window)),
  "whole Orders part (with names, approvals)": (p, s) => readAs(p, (tx) => loadOrderOverview(tx, p, window, s)),
};
const rows: string[][] = [];
const result: Record<string, number> = {};
for (const [who, principal] of Object.entries(personas)) {
  for (const [figure, fn] of Object.entries(figureFns)) {
    const fromRollup = await p95(() => fn(principal, rollupSource));
    const fromOrders = await p95(() => fn(principal, ordersSource));
    rows.push([who, figure, fmt(fromRollup), fmt(fromOrders), ratio(fromOrders, fromRollup)]);
    if (figure.startsWith("whole")) {
      result[who] = fromRollup;
      result[`${who} peer`] = fromOrders;
    }
  }
}
await owner.end();
await closeDb();
await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.end();

console.log(`\n${orderCount.toLocaleString("en-US")} orders, ${rollup_rows.toLocaleString("en-US")} rollup rows, window ${window.from} to ${window.to}, ${runs} runs each; load average at start ${load}\n`);
console.log(markdownTable(["scope", "figure", "rollup p95 (ms)", "orders table p95 (ms)", "orders ÷ rollup"], ["l", "l", "r", "r", "r"], rows));
const total = Math.max(...Object.keys(personas).map((w) => result[w]!));
const peer = Math.max(...Object.keys(personas).map((w) => result[`${w} peer`]!));
console.log(
  JSON.stringify({
    bench: "overview",
    quick,
    orders: orderCount,
    rollup_rows,
    overview_p95_ms: Number(total.toFixed(1)),
    peer_p95_ms: Number(peer.toFixed(1)),
    peer_over_rollup: Number((peer / total).toFixed(2)),
    admin_p95_ms: Number(result["Admin (org root)"]!.toFixed(1)),
    manager_p95_ms: Number(result["Manager (one region)"]!.toFixed(1)),
    buyer_p95_ms: Number(result["Buyer (one branch)"]!.toFixed(1)),
  }),
);
