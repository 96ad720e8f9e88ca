/**
 * The read side of bench/orders.ts at volume: the approvals inbox and the order list with
 * `total` orders over `accountCount` accounts (10,000,000 over 100 in the full run). The accounts,
 * branches, members, roles and rule are made through the app's commands; the orders and their
 * waiting approval steps in bulk SQL as the owner (INSERT … SELECT generate_series on two
 * connections, with the secondary indexes dropped and per-row triggers off while loading; see
 * below). The reads are the app's own
 * functions, as the app's role under row-level security; the peer is the bare top-N on the same
 * index as the owner, without row-level security, on the same data.
 */
import type postgres from "postgres";
import { percentile } from "../access/stats";

type Principal = import("@/lib/core/context").Principal;
type Log = (line: string) => void;

export interface VolumeResult {
  orders: number;
  accounts: number;
  waitingSteps: number;
  rows: Array<{ name: string; p50: number; p95: number; peerP95: number }>;
}

const STATUSES = "array['approved','fulfilled','fulfilled','fulfilled','approved','cancelled','rejected','draft','fulfilled','approved','fulfilled','approved','fulfilled','approved','fulfilled','approved','fulfilled','approved','fulfilled','submitted']";

export async function measureVolume(owner: postgres.Sql, { total, accountCount, sampled, rounds, log }: { total: number; accountCount: number; sampled: number; rounds: number; log: Log }): Promise<VolumeResult> {
  const { getDb } = await import("@/db/client");
  const { runCommand } = await import("@/lib/core/command");
  const { systemPrincipal } = await import("@/lib/core/system-principal");
  const { systemMeta } = await import("@/lib/core/request-meta");
  const { createSupplierCommand } = await import("@/lib/accounts/create-supplier");
  const { findSupplier } = await import("@/lib/accounts/find-supplier");
  const { openAccountCommand } = await import("@/lib/accounts/open-account");
  const { createOrgCommand } = await import("@/lib/orgs/create-org");
  const { createBranchCommand } = await import("@/lib/branches/create-branch");
  const { createMemberCommand } = await import("@/lib/identity/create-member");
  const { loadMemberPrincipal } = await import("@/lib/identity/load-member-principal");
  const { readAs } = await import("@/lib/core/read-as");
  const { listWaitingApprovals } = await import("@/lib/approvals/list-waiting-approvals");
  const { listOrders } = await import("@/lib/orders/list-orders");
  const { orderListQuerySchema } = await import("@/lib/orders/schemas");
  const { withTenantScope } = await import("@/db/tenant-scope");
  const db = getDb();
  const meta = systemMeta("bench");
  const op = systemPrincipal("bench");
  const supplierRef = (await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) => findSupplier(tx), db)) ?? (await runCommand(createSupplierCommand, op, meta, { name: "Bench Supply", slug: "bench-supply" }, db));
  const supplierOperator = systemPrincipal("bench", supplierRef);

  log(`volume: ${accountCount} accounts through the commands (${sampled} with a manager and a buyer)...`);
  const accounts: Array<{ orgId: string; chicago: string; manager?: Principal; buyer?: Principal; buyerId?: string }> = [];
  const [filler] = await owner<{ id: string }[]>`insert into users (email, name) values ('volume-buyer@bench.test', 'Volume Buyer') returning id`;
  for (let i = 0; i < accountCount; i++) {
    const org = await runCommand(createOrgCommand, op, meta, { name: `Volume account ${i}`, slug: `volume-${i}` }, db);
    const operator = systemPrincipal("bench", org);
    await runCommand(openAccountCommand, supplierOperator, meta, { orgId: org.id, baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }], tier: "Gold" }, db);
    const na = await runCommand(createBranchCommand, operator, meta, { name: "North America" }, db);
    const chicago = await runCommand(createBranchCommand, operator, meta, { name: "Chicago", parentId: na.id }, db);
    const account: (typeof accounts)[number] = { orgId: org.id, chicago: chicago.id };
    if (i < sampled) {
      const member = async (role: string, branchId: string, who: string) => {
        const email = `${who}@volume-${i}.test`;
        const m = await runCommand(createMemberCommand, operator, meta, { email, password: "bench password 2026", roleName: role, branchId }, db);
        return { id: m.userId, principal: (await loadMemberPrincipal(db, { type: "user", userId: m.userId, label: email }, org.slug))! };
      };
      const manager = await member("Manager", na.id, "manager");
      const buyer = await member("Buyer", chicago.id, "buyer");
      Object.assign(account, { manager: manager.principal, buyer: buyer.principal, buyerId: buyer.id });
    }
    accounts.push(account);
  }

  const perAccount = Math.ceil(total / accountCount);
  log(`volume: ${(perAccount * accountCount).toLocaleString("en-US")} orders in bulk (${perAccount.toLocaleString("en-US")} per account)...`);
  // At 10M rows, per-row work dominates the load: each insert updates seven indexes and fires the
  // rollup triggers and three foreign-key checks. So the load runs with the secondary indexes
  // dropped (rebuilt once after, which is far cheaper than 10M incremental updates), with
  // session_replication_role = replica (no per-row triggers; the rows are made valid here), and
  // on two connections, one per core. Both rollups are rebuilt from the rows after.
  const secondary = await owner<{ name: string; def: string }[]>`
    select i.indexname as name, i.indexdef as def from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'orders'
      and not exists (select 1 from pg_constraint c where c.conrelid = 'orders'::regclass and c.conname = i.indexname)`;
  for (const ix of secondary) await owner.unsafe(`drop index ${ix.name}`);
  const batch = 250_000;
  const jobs = accounts.flatMap((account, a) => Array.from({ length: Math.ceil(perAccount / batch) }, (_, k) => ({ account, a, done: k * batch })));
  let loaded = 0;
  const loadOn = async () => {
    const c = await owner.reserve();
    try {
      await c.unsafe(`set session_replication_role = replica`);
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        const { account, a, done } = job;
        const n = Math.min(batch, perAccount - done);
        // One in 20 is waiting for approval; totals from USD 10 to USD 9,000; a year of placement times.
        await c.unsafe(`
          insert into orders (org_id, number, branch_id, buyer_id, status, currency, subtotal_minor, total_minor, base_total_minor, base_currency, placed_at, submitted_at)
          select $1::uuid, 'V' || ${a} || '-' || i, $2::uuid, $3::uuid, (${STATUSES})[1 + i % 20]::order_status, 'USD', t, t, t, 'USD', p, p
          from (select i, 1000 + (i * 7919) % 899000 as t, now() - ((i::bigint * 104729) % 31536000) * interval '1 second' as p from generate_series(${done + 1}, ${done + n}) i) g`, [account.orgId, account.chicago, account.buyerId ?? filler!.id]);
        loaded += n;
        if (loaded % 1_000_000 < n) log(`  ${loaded.toLocaleString("en-US")} orders loaded`);
      }
    } finally {
      c.release();
    }
  };
  await Promise.all([loadOn(), loadOn()]);
  log(`volume: rebuilding ${secondary.length} indexes...`);
  const defs = secondary.map((ix) => ix.def);
  const buildOn = async () => {
    const c = await owner.reserve();
    try {
      await c.unsafe(`set maintenance_work_mem = '1GB'`);
      for (let def = defs.shift(); def; def = defs.shift()) await c.unsafe(def);
    } finally {
      c.release();
    }
  };
  await Promise.all([buildOn(), buildOn()]);
  // The slot each order's later changes will use (migration stripe_order_rollups).
  await owner.unsafe(`insert into order_monthly_totals (org_id, month, currency, status, slot, order_count, total_minor) select org_id, date_trunc('month', placed_at at time zone 'UTC')::date, currency, status, order_rollup_slot(id), count(*), sum(total_minor) from orders where number like 'V%' group by 1, 2, 3, 4, 5`);
  await owner.unsafe(`insert into order_weekly_totals (org_id, week, branch_id, buyer_id, status, currency, slot, order_count, total_minor) select org_id, date_trunc('week', placed_at at time zone 'UTC')::date, branch_id, buyer_id, status, currency, order_rollup_slot(id), count(*), sum(total_minor) from orders where number like 'V%' group by 1, 2, 3, 4, 5, 6, 7`);
  // Each waiting order has the step the demo's rule makes: a Manager, asked at Chicago.
  await owner.unsafe(`
    insert into approval_steps (org_id, order_id, rule_name, tier_no, group_no, role_ids, status, level_branch_id, waiting_since)
    select o.org_id, o.id, 'NA over 5,000', 1, 1, array[r.id], 'pending', o.branch_id, o.placed_at
    from orders o join roles r on r.org_id = o.org_id and r.name = 'Manager'
    where o.status = 'submitted' and o.number like 'V%'`);
  await owner.unsafe(`analyze orders; analyze approval_steps`);
  const [{ steps } = { steps: 0 }] = await owner<{ steps: number }[]>`select count(*)::int as steps from approval_steps`;

  const sample = accounts.filter((a) => a.manager && a.buyer);
  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  const measure = async (name: string, app: (a: (typeof sample)[number]) => Promise<unknown>, peer: (a: (typeof sample)[number]) => Promise<unknown>) => {
    for (const a of sample) await app(a); // warm: plans, caches
    const mine: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const a of sample) {
        mine.push(await time(() => app(a)));
        theirs.push(await time(() => peer(a)));
      }
    }
    return { name, p50: percentile(mine, 50), p95: percentile(mine, 95), peerP95: percentile(theirs, 95) };
  };
  const inbox = (p: Principal, cursor?: string) => readAs(p, (tx) => listWaitingApprovals(tx, p, { limit: 50, ...(cursor ? { cursor } : {}) }), db);
  const secondCursor = new Map<string, string>();
  for (const a of sample) {
    const first = await inbox(a.manager!);
    if (first.data.length === 0) throw new Error("the bench's inbox is empty: the data are wrong");
    if (first.nextCursor) secondCursor.set(a.orgId, first.nextCursor);
  }
  const bareSteps = (a: (typeof sample)[number]) => owner`select id from approval_steps where org_id = ${a.orgId} and status = 'pending' and waiting_since is not null order by waiting_since, id limit 100`;
  const bareOrders = (a: (typeof sample)[number]) => owner`select id from orders where org_id = ${a.orgId} order by placed_at desc, id desc limit 51`;
  const query = orderListQuerySchema.parse({});
  log(`volume: timing ${rounds} rounds × ${sample.length} accounts...`);
  const rows = [
    await measure("approvals inbox, first page (manager, North America)", (a) => inbox(a.manager!), bareSteps),
    await measure("approvals inbox, next page", (a) => inbox(a.manager!, secondCursor.get(a.orgId)), bareSteps),
    await measure("order list, first page (manager: orders:read at North America)", (a) => readAs(a.manager!, (tx) => listOrders(tx, a.manager!, query), db), bareOrders),
    await measure("order list, first page (buyer: orders:read at Chicago + read-own)", (a) => readAs(a.buyer!, (tx) => listOrders(tx, a.buyer!, query), db), bareOrders),
  ];
  return { orders: perAccount * accountCount, accounts: accountCount, waitingSteps: steps, rows };
}
