/**
 * Catalog search at 100,000 products, and the supplier's order list across accounts.
 *
 *   npx tsx bench/catalog.ts [--quick] [--products 100000] [--orders 1000000] [--accounts 100] [--runs 40]
 *   --quick: 20,000 products, 100,000 orders over 20 accounts, 15 runs. The last line is one JSON object.
 *
 * DATABASE_URL's server (default postgres://postgres@127.0.0.1:5432/test); creates and finally
 * drops cs_bench_catalog. Queries run through the app's own functions, as the app's role under
 * row-level security, in the scopes the pages use. Each is compared with its peer on the same
 * data in the same run: the same search as a plain substring match over sku and name (what a
 * catalog without the trigram and prefix indexes does), and the same list ordered without the
 * index it was designed for.
 */
import "../scripts/lib/require-node-24";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql as dsql } from "drizzle-orm";
import * as schema from "@/db/schema";
import { APP_ROLE } from "@/db/app-role";
import { migrateDatabase } from "@/db/migrate";
import { withTenantScope } from "@/db/tenant-scope";
import { listSupplierOrders } from "@/lib/accounts/list-supplier-orders";
import { supplierOrderListQuerySchema } from "@/lib/accounts/schemas";
import type { CatalogViewer } from "@/lib/catalog/catalog-viewer";
import { listCatalog } from "@/lib/catalog/list-products";
import { productListQuerySchema } from "@/lib/catalog/schemas";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { fmt, markdownTable, msSince, nowNs, percentile, ratio } from "./access/stats";
import { generateCatalog, generateOrders } from "./catalog/generate";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, products: { type: "string" }, orders: { type: "string" }, accounts: { type: "string" }, runs: { type: "string" } } });
const quick = values.quick;
const products = Number(values.products ?? (quick ? 20_000 : 100_000));
const orderCount = Number(values.orders ?? (quick ? 100_000 : 1_000_000));
const accountCount = Number(values.accounts ?? (quick ? 20 : 100));
const runs = Number(values.runs ?? (quick ? 15 : 40));
const DB = "cs_bench_catalog";
const serverUrl = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const benchUrl = Object.assign(new URL(serverUrl), { pathname: `/${DB}` }).toString();

async function timed(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm the plan and the cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = nowNs();
    await fn();
    samples.push(msSince(start));
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function main() {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${DB} with (force)`);
  await admin.unsafe(`create database ${DB}`);
  await migrateDatabase(benchUrl);
  const owner = postgres(benchUrl, { max: 1, onnotice: () => {} });
  const app = postgres(benchUrl, { max: 2, onnotice: () => {}, connection: { role: APP_ROLE } });
  const db = drizzle(app, { schema });
  try {
    let started = nowNs();
    const { supplierId, accountId } = await generateCatalog(owner, products);
    console.log(`generated ${products.toLocaleString("en-US")} products in ${fmt(msSince(started) / 1000)} s`);
    started = nowNs();
    const { oneAccountId } = await generateOrders(owner, orderCount, accountCount);
    console.log(`generated ${orderCount.toLocaleString("en-US")} orders over ${accountCount} accounts in ${fmt(msSince(started) / 1000)} s`);

    const supplier = { id: supplierId, slug: "bench-supply", name: "Bench Supply" };
    const customerScope = { orgId: accountId, userId: null, bypass: false };
    const supplierScope = { orgId: supplierId, userId: null, bypass: false, supplierScope: true };
    const terms = (await withTenantScope(customerScope, (tx) => loadAccountTerms(tx, accountId), db))!;
    const customer: CatalogViewer = { kind: "customer", supplier, accountOrgId: accountId, terms };
    const staff: CatalogViewer = { kind: "supplier", supplier, canManage: true, canSeeAccountPrices: false };
    const browse = (viewer: CatalogViewer, q: Record<string, unknown>) => () => withTenantScope(viewer.kind === "customer" ? customerScope : { orgId: supplierId, userId: null, bypass: false }, (tx) => listCatalog(tx, viewer, productListQuerySchema.parse({ limit: 50, ...q })), db);
    // The peer: a substring match over sku and name with no index to serve it.
    const naive = (q: string) => () => withTenantScope(customerScope, (tx) => tx.execute(dsql`select id from products where org_id = ${supplierId} and active and position(${q.toLowerCase()} in lower(sku || ' ' || name)) > 0 order by lower(name), id limit 51`), db);
    const count = async (q: string) => (await owner`select count(*)::int as n from products where lower(sku || ' ' || name) like ${`%${q.toLowerCase()}%`}`)[0]!.n as number;

    const searches = ["sk", "hex", "bolt", "m10 x 5", "flange bolt m12", "sku-054321", "zzz-nothing"];
    const rows: string[][] = [];
    const first = await timed(browse(customer, {}));
    rows.push(["browse, first page (customer, own prices)", "all", fmt(first.p50), fmt(first.p95), "", ""]);
    const page5 = await withTenantScope(customerScope, async (tx) => {
      let cursor: string | undefined;
      for (let i = 0; i < 5; i++) cursor = (await listCatalog(tx, customer, productListQuerySchema.parse({ limit: 50, cursor }))).nextCursor ?? undefined;
      return cursor;
    }, db);
    const deep = await timed(browse(customer, { cursor: page5 }));
    rows.push(["browse, sixth page (keyset)", "all", fmt(deep.p50), fmt(deep.p95), "", ""]);
    for (const q of searches) {
      const mine = await timed(browse(customer, { q }));
      const peer = await timed(naive(q));
      rows.push([`search "${q}"`, (await count(q)).toLocaleString("en-US"), fmt(mine.p50), fmt(mine.p95), fmt(peer.p95), ratio(peer.p95, mine.p95)]);
    }
    const supplierSearch = await timed(browse(staff, { q: "bolt", status: "all" }));
    rows.push(['supplier staff, search "bolt" (every list price)', String(await count("bolt")), fmt(supplierSearch.p50), fmt(supplierSearch.p95), "", ""]);
    console.log(`\n### Catalog search, ${products.toLocaleString("en-US")} products (ms, ${runs} runs each)\n`);
    console.log(markdownTable(["query", "matches", "p50", "p95", "peer p95 (no index)", "peer ÷ ours"], ["l", "r", "r", "r", "r", "r"], rows));

    const list = (q: Record<string, unknown>) => () => withTenantScope(supplierScope, (tx) => listSupplierOrders(tx, supplier, supplierOrderListQuerySchema.parse({ limit: 50, ...q })), db);
    // The peer: the same first page, with PostgreSQL told not to walk an index in order.
    const unordered = () => withTenantScope(supplierScope, async (tx) => {
      await tx.execute(dsql`set local enable_indexscan = off`);
      await tx.execute(dsql`set local enable_indexonlyscan = off`);
      return listSupplierOrders(tx, supplier, supplierOrderListQuerySchema.parse({ limit: 50 }));
    }, db);
    const orderRows: string[][] = [];
    const cases: Array<[string, Record<string, unknown>]> = [
      ["all accounts, newest first", {}],
      ["all accounts, submitted", { status: "submitted" }],
      ["one account", { account: oneAccountId }],
      ["one account, submitted", { account: oneAccountId, status: "submitted" }],
      ["all accounts, oldest first", { dir: "asc" }],
    ];
    for (const [name, q] of cases) {
      const t = await timed(list(q));
      orderRows.push([name, fmt(t.p50), fmt(t.p95), "", ""]);
    }
    const cursor = await withTenantScope(supplierScope, async (tx) => {
      let c: string | undefined;
      for (let i = 0; i < 20; i++) c = (await listSupplierOrders(tx, supplier, supplierOrderListQuerySchema.parse({ limit: 50, cursor: c }))).nextCursor ?? undefined;
      return c;
    }, db);
    const deepOrders = await timed(list({ cursor }));
    orderRows.push(["all accounts, page 21 (keyset)", fmt(deepOrders.p50), fmt(deepOrders.p95), "", ""]);
    const peer = await timed(unordered);
    orderRows[0]![3] = fmt(peer.p95);
    orderRows[0]![4] = ratio(peer.p95, percentileOf(orderRows[0]![2]!));
    console.log(`\n### Orders across accounts, ${orderCount.toLocaleString("en-US")} orders over ${accountCount} accounts (ms, first page of 50, ${runs} runs each)\n`);
    console.log(markdownTable(["list", "p50", "p95", "peer p95 (no ordered index scan)", "peer ÷ ours"], ["l", "r", "r", "r", "r"], orderRows));
    const [plan] = await withTenantScope(supplierScope, (tx) => tx.execute<{ "QUERY PLAN": string }>(dsql`explain (format text) select id from orders where org_id <> ${supplierId} order by placed_at desc, id desc limit 51`), db).then((r) => [r.map((x) => x["QUERY PLAN"]).join("\n")]);
    console.log(`\nPlan of the first page across accounts:\n\n${plan}`);
    const worstSearchP95 = Math.max(...rows.map((r) => Number(String(r[3]).replaceAll(",", ""))).filter((n) => Number.isFinite(n)));
    console.log(JSON.stringify({ bench: "catalog", quick, products, orders: orderCount, accounts: accountCount, worst_search_p95_ms: worstSearchP95, orders_first_page_p95_ms: percentileOf(orderRows[0]![2]!), orders_peer_over_ours: Number((peer.p95 / percentileOf(orderRows[0]![2]!)).toFixed(2)) }));
  } finally {
    await app.end({ timeout: 5 });
    await owner.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists ${DB} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

function percentileOf(text: string): number {
  return Number(text.replace(/,/g, ""));
}

void main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
