/**
 * Orders submitted per second, with rule evaluation and audit, by 4 clients; then the approvals
 * inbox and the order list p95 at volume (bench/orders/volume.ts: 10,000,000 orders over 100
 * accounts; with --quick 100,000 over 20).
 *
 *   npx tsx bench/orders.ts [--quick] [--orders 2000] [--part all|submit|volume] [--volume-orders N] [--accounts N] [--keep]
 *
 * DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test); creates and finally
 * drops cs_bench_orders (kept with --keep, to EXPLAIN the reads on the same data). Everything goes through the app's commands, as the app's role under
 * row-level security: each "submit" is submitOrderCommand on a draft made beforehand (re-pricing
 * from the catalog, the base-currency total, the rules at the branch and its ancestors, the
 * approval steps, one audit event). Its peer on the same data is the same submission where no
 * rule applies (a branch outside the rules' subtree): the ratio is what rule evaluation costs.
 * Two shapes: 4 clients in 4 accounts (4 audit chains) and 4 clients in one account (one chain,
 * whose append lock they share). Prints a table, then one JSON line.
 */
import "../scripts/lib/require-node-24";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { migrateDatabase } from "@/db/migrate";
import { measureVolume } from "./orders/volume";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, orders: { type: "string" }, part: { type: "string", default: "all" }, "volume-orders": { type: "string" }, accounts: { type: "string" }, keep: { type: "boolean", default: false } } });
const quick = values.quick;
const part = values.part;
if (!["all", "submit", "volume"].includes(part)) throw new Error("--part must be all, submit or volume");
const volumeOrders = Number(values["volume-orders"] ?? (quick ? 100_000 : 10_000_000));
const volumeAccounts = Number(values.accounts ?? (quick ? 20 : 100));
const perShape = Number(values.orders ?? (quick ? 400 : 2000));
const CLIENTS = 4;
const DB = "cs_bench_orders";
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${DB}` }).toString();
const log = (line: string) => process.stderr.write(`${line}\n`);

const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.unsafe(`create database ${DB}`);
await migrateDatabase(benchUrl);
process.env.DATABASE_URL = benchUrl;
process.env.DATABASE_POOL_SIZE = "8";

// Imported after DATABASE_URL points at the bench database: the app's pool reads it once.
const { closeDb, getDb } = await import("@/db/client");
const { runCommand } = await import("@/lib/core/command");
const { systemPrincipal } = await import("@/lib/core/system-principal");
const { systemMeta } = await import("@/lib/core/request-meta");
const { createSupplierCommand } = await import("@/lib/accounts/create-supplier");
const { openAccountCommand } = await import("@/lib/accounts/open-account");
const { createProductCommand } = await import("@/lib/catalog/create-product");
const { createOrgCommand } = await import("@/lib/orgs/create-org");
const { createBranchCommand } = await import("@/lib/branches/create-branch");
const { createMemberCommand } = await import("@/lib/identity/create-member");
const { loadMemberPrincipal } = await import("@/lib/identity/load-member-principal");
const { addBranchAddressCommand } = await import("@/lib/branch-addresses/add-branch-address");
const { createApprovalRuleCommand } = await import("@/lib/approvals/approval-rule-commands");
const { draftOrderCommand } = await import("@/lib/orders/draft-order");
const { submitOrderCommand } = await import("@/lib/orders/submit-order");
const { withTenantScope } = await import("@/db/tenant-scope");
const { roles } = await import("@/db/schema");
const { and, eq } = await import("drizzle-orm");
type Principal = import("@/lib/core/context").Principal;

const meta = systemMeta("bench");
const db = getDb();
const op = systemPrincipal("bench");

interface Account {
  buyers: Principal[];
  ruled: string;
  unruled: string;
}

/** An account: North America → Chicago (the demo's two rules at North America and a category rule), and Elsewhere (no rule), with `buyers` buyers in both. */
async function makeAccount(i: number, buyerCount: number): Promise<Account> {
  const org = await runCommand(createOrgCommand, op, meta, { name: `Bench account ${i}`, slug: `bench-${i}` }, db);
  const operator = systemPrincipal("bench", org);
  await runCommand(openAccountCommand, supplierOperator, meta, { orgId: org.id, baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }], tier: "Gold" }, db);
  const na = await runCommand(createBranchCommand, operator, meta, { name: "North America" }, db);
  const chicago = await runCommand(createBranchCommand, operator, meta, { name: "Chicago", parentId: na.id }, db);
  const elsewhere = await runCommand(createBranchCommand, operator, meta, { name: "Elsewhere" }, db);
  for (const b of [chicago, elsewhere]) await runCommand(addBranchAddressCommand, operator, meta, { branchId: b.id, label: "Dock", lines: ["1 Main St"], city: "Chicago", country: "US", isDefault: true }, db);
  const roleId = async (name: string) => (await withTenantScope({ orgId: org.id, userId: null, bypass: true }, (tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, name))), db))[0]!.id;
  const manager = await roleId("Manager");
  const adminRole = await roleId("Admin");
  await runCommand(createApprovalRuleCommand, operator, meta, { name: "NA over 5,000", branchId: na.id, overTotalMinor: 5_000_00, tiers: [[[manager]]] }, db);
  await runCommand(createApprovalRuleCommand, operator, meta, { name: "NA over 20,000", branchId: na.id, overTotalMinor: 20_000_00, tiers: [[[manager]], [[adminRole]]] }, db);
  await runCommand(createApprovalRuleCommand, operator, meta, { name: "NA fasteners", branchId: na.id, categories: ["Fasteners"], minLines: 3, tiers: [[[manager]]] }, db);
  const buyers: Principal[] = [];
  for (let b = 0; b < buyerCount; b++) {
    const email = `buyer${b}@bench-${i}.test`;
    const m = await runCommand(createMemberCommand, operator, meta, { email, password: "bench password 2026", roleName: "Buyer", branchId: null }, db);
    buyers.push((await loadMemberPrincipal(db, { type: "user", userId: m.userId, label: email }, org.slug))!);
  }
  return { buyers, ruled: chicago.id, unruled: elsewhere.id };
}

const supplier = await runCommand(createSupplierCommand, op, meta, { name: "Bench Supply", slug: "bench-supply" }, db);
const supplierOperator = systemPrincipal("bench", supplier);
const skus: string[] = [];
for (let p = 0; p < 50; p++) {
  const sku = `BENCH-${p}`;
  await runCommand(createProductCommand, supplierOperator, meta, { sku, name: `Bench part ${p}`, category: p % 5 === 0 ? "Fasteners" : "Tools", prices: { USD: 1_000 + p * 137, EUR: 900 + p * 120 } }, db);
  skus.push(sku);
}
log("setting up 5 accounts...");
const separate = await Promise.all([0, 1, 2, 3].map((i) => makeAccount(i, 1)));
const shared = await makeAccount(4, CLIENTS);

/** `count` drafts per client, 1 to 4 lines of random quantity: some totals pass 5,000 and 20,000. */
async function drafts(pairs: Array<{ buyer: Principal; branchId: string }>, count: number): Promise<string[][]> {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Promise.all(
    pairs.map(async ({ buyer, branchId }) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const lines = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({ sku: skus[Math.floor(next() * skus.length)]!, quantity: 1 + Math.floor(next() * 60) }));
        ids.push((await runCommand(draftOrderCommand, buyer, meta, { branchId, lines: dedupe(lines) }, db)).id);
      }
      return ids;
    }),
  );
}
const dedupe = (lines: Array<{ sku: string; quantity: number }>) => [...new Map(lines.map((l) => [l.sku, l])).values()];

/** 4 clients submit their drafts as fast as they can; orders per second over the whole run. */
async function submitAll(pairs: Array<{ buyer: Principal }>, ids: string[][]): Promise<{ rate: number; waiting: number }> {
  let waiting = 0;
  const start = performance.now();
  await Promise.all(
    pairs.map(async ({ buyer }, c) => {
      for (const orderId of ids[c]!) {
        const r = await runCommand(submitOrderCommand, buyer, meta, { orderId }, db);
        if (r.outcome === "waiting") waiting++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { rate: ids.flat().length / seconds, waiting };
}

const perClient = Math.ceil(perShape / CLIENTS);
const results: Record<string, { rate: number; waiting: number }> = {};
const shapes = {
  "4 clients, 4 accounts": (ruled: boolean) => separate.map((a) => ({ buyer: a.buyers[0]!, branchId: ruled ? a.ruled : a.unruled })),
  "4 clients, 1 account": (ruled: boolean) => shared.buyers.map((buyer) => ({ buyer, branchId: ruled ? shared.ruled : shared.unruled })),
};
const load = loadavg()[0]!.toFixed(1);
for (const [name, pairsFor] of part === "volume" ? [] : Object.entries(shapes)) {
  // The peer and the rules alternate in halves, so a change in the machine's load falls on both.
  for (const half of [0, 1]) {
    for (const ruled of half === 0 ? [true, false] : [false, true]) {
      const pairs = pairsFor(ruled);
      log(`${name}, ${ruled ? "with rules" : "no rule applies"}: drafting ${perClient / 2} per client...`);
      const ids = await drafts(pairs, Math.ceil(perClient / 2));
      const r = await submitAll(pairs, ids);
      const key = `${name}|${ruled}`;
      const prev = results[key];
      results[key] = prev ? { rate: (prev.rate + r.rate) / 2, waiting: prev.waiting + r.waiting } : r;
    }
  }
}
const owner = postgres(benchUrl, { max: 2, onnotice: () => {} });
const volume = part === "submit" ? null : await measureVolume(owner, { total: volumeOrders, accountCount: volumeAccounts, sampled: quick ? 3 : 5, rounds: quick ? 10 : 20, log });
await owner.end();
await closeDb();
if (!values.keep) await admin.unsafe(`drop database if exists ${DB} with (force)`);
await admin.end();

if (part !== "volume") console.log(`\n| ${CLIENTS} clients submitting (${perShape} orders per row) | orders/s | waiting for approval | × no rule applies |\n| --- | ---: | ---: | ---: |`);
for (const name of part === "volume" ? [] : Object.keys(shapes)) {
  const withRules = results[`${name}|true`]!;
  const without = results[`${name}|false`]!;
  console.log(`| ${name}, rules evaluated | ${withRules.rate.toFixed(0)} | ${withRules.waiting} | ${(withRules.rate / without.rate).toFixed(2)} |`);
  console.log(`| ${name}, no rule applies (peer) | ${without.rate.toFixed(0)} | ${without.waiting} | 1.00 |`);
}
if (volume) {
  console.log(`\n| ${volume.orders.toLocaleString("en-US")} orders over ${volume.accounts} accounts (${volume.waitingSteps.toLocaleString("en-US")} waiting) | p50 | p95 | peer p95 (bare top-N, no RLS) | × peer |\n| --- | ---: | ---: | ---: | ---: |`);
  for (const r of volume.rows) console.log(`| ${r.name} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.peerP95.toFixed(1)} ms | ${(r.p95 / r.peerP95).toFixed(1)} |`);
}
console.log(`\nload average at start ${load}`);
const main = results["4 clients, 4 accounts|true"];
const rate = (key: string) => (results[key] ? Math.round(results[key].rate) : null);
const ratio = (a: string, b: string) => (results[a] && results[b] ? Number((results[a].rate / results[b].rate).toFixed(3)) : null);
const p95 = (i: number) => (volume ? Number(volume.rows[i]!.p95.toFixed(1)) : null);
console.log(
  JSON.stringify({
    bench: "orders",
    quick,
    part,
    clients: CLIENTS,
    orders_per_row: perShape,
    submit_per_s_4_accounts: main ? Math.round(main.rate) : null,
    submit_per_s_1_account: rate("4 clients, 1 account|true"),
    rules_over_no_rule_4_accounts: ratio("4 clients, 4 accounts|true", "4 clients, 4 accounts|false"),
    rules_over_no_rule_1_account: ratio("4 clients, 1 account|true", "4 clients, 1 account|false"),
    target_per_s: 300,
    volume_orders: volume?.orders ?? null,
    volume_accounts: volume?.accounts ?? null,
    inbox_p95_ms: p95(0),
    inbox_next_page_p95_ms: p95(1),
    order_list_manager_p95_ms: p95(2),
    order_list_buyer_p95_ms: p95(3),
    inbox_over_peer_p95: volume ? Number((volume.rows[0]!.p95 / volume.rows[0]!.peerP95).toFixed(2)) : null,
    order_list_over_peer_p95: volume ? Number((volume.rows[2]!.p95 / volume.rows[2]!.peerP95).toFixed(2)) : null,
    target_p95_ms: 50,
  }),
);
