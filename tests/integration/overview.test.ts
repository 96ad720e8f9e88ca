import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import * as orderList from "@/app/api/v1/orders/route";
import * as submitRoute from "@/app/api/v1/orders/[id]/submit/route";
import * as approveRoute from "@/app/api/v1/orders/[id]/approve/route";
import * as rejectRoute from "@/app/api/v1/orders/[id]/reject/route";
import * as cancelRoute from "@/app/api/v1/orders/[id]/cancel/route";
import * as ruleList from "@/app/api/v1/approval-rules/route";
import { sessions } from "@/db/schema";
import { readAs } from "@/lib/core/read-as";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { createMemberCommand } from "@/lib/identity/create-member";
import { listMembers, memberListQuerySchema } from "@/lib/identity/list-members";
import { createOrderCommand } from "@/lib/orders/create-order";
import { listOrders } from "@/lib/orders/list-orders";
import { orderListQuerySchema, type OrderListQuery } from "@/lib/orders/schemas";
import { rankBranches, rankBuyers, sumOrdersByStatus, sumOrdersByWeek } from "@/lib/overview/order-figures";
import { loadOrderOverview } from "@/lib/overview/load-order-overview";
import { ordersSource, rollupSource } from "@/lib/overview/order-source";
import { overviewWindow, weekWithin, type OverviewWindow } from "@/lib/overview/overview-window";
import { weeksOf } from "@/lib/overview/weekly-series";
import { countPeople, PEOPLE_FIGURES, type PeopleFigure } from "@/lib/overview/people-figures";
import { listRecentActivity } from "@/lib/overview/recent-activity";

import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta, unique } from "../support/factories";
import { signInAs } from "../support/sign-in-helpers";
import { buildOrderingWorld, call, roleIdOf, type OrderingWorld } from "./ordering-world";

const DAY = 86_400_000;
const now = new Date();
const window = overviewWindow(now);

let w: OrderingWorld;
beforeAll(async () => {
  w = await buildOrderingWorld();
  const manager = await roleIdOf(w.org.id, "Manager");
  expect((await call(ruleList.POST, w.tokens.admin, "POST", "/api/v1/approval-rules", { body: { name: "NA over 5,000", branchId: w.branches.na.id, overTotalMinor: 5_000_00, tiers: [[[manager]]] } })).status).toBe(201);
  // Orders over the window and before it, in two currencies, by two buyers in two regions.
  const place = (branchId: string, buyerId: string, daysAgo: number, status: string, currency: string, totalMinor: number) =>
    runCommand(createOrderCommand, w.org.operator, meta, { branchId, buyerId, currency, status, placedAt: new Date(now.getTime() - daysAgo * DAY).toISOString(), lines: [{ sku: "S-1", description: "Thing", quantity: 1, unitPriceMinor: totalMinor }] });
  const { chicago, berlin } = w.branches;
  const { buyer, emeaManager } = w.members;
  for (const [i, status] of (["submitted", "approved", "fulfilled", "rejected", "cancelled", "approved"] as const).entries()) {
    await place(chicago.id, buyer.userId, i * 13, status, "USD", 100_00 + i);
    await place(berlin.id, emeaManager.userId, i * 11 + 1, status, i % 2 ? "EUR" : "USD", 50_00 + i);
  }
  // The Chicago buyer's own order in Berlin: visible to them through orders:read-own alone.
  await place(berlin.id, buyer.userId, 5, "submitted", "USD", 77_00);
  await place(chicago.id, buyer.userId, 120, "fulfilled", "USD", 999_00); // before the window
  await place(berlin.id, emeaManager.userId, 200, "approved", "EUR", 888_00);
}, 180_000);

const figureOf = (p: Principal, source = rollupSource, win: OverviewWindow = window) =>
  readAs(p, async (tx) => ({ weeks: await sumOrdersByWeek(tx, p, source, win), statuses: await sumOrdersByStatus(tx, p, source, win), buyers: await rankBuyers(tx, p, source, win), branches: await rankBranches(tx, p, source, win) }));

/**
 * Both rollups, and the same sums straight from orders, for one org: equal row for row, slot by
 * slot (each order counts in the slot its id names, migration stripe_order_rollups), and no
 * slot's count below one (an emptied row is deleted).
 */
async function rollupAndTruth(orgId: string) {
  return asOperator(async (tx) => {
    const rollup = await tx.execute(sql`select week::text, branch_id, buyer_id, status::text, currency, slot, order_count::bigint as n, total_minor::bigint as t from order_weekly_totals where org_id = ${orgId} order by 1, 2, 3, 4, 5, 6`);
    const truth = await tx.execute(sql`select date_trunc('week', placed_at at time zone 'UTC')::date::text as week, branch_id, buyer_id, status::text, currency, order_rollup_slot(id) as slot, count(*)::bigint as n, sum(total_minor)::bigint as t from orders where org_id = ${orgId} group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`);
    const monthly = await tx.execute(sql`select month::text, currency, status::text, slot, order_count::bigint as n, total_minor::bigint as t from order_monthly_totals where org_id = ${orgId} order by 1, 2, 3, 4`);
    const monthlyTruth = await tx.execute(sql`select date_trunc('month', placed_at at time zone 'UTC')::date::text as month, currency, status::text, order_rollup_slot(id) as slot, count(*)::bigint as n, sum(total_minor)::bigint as t from orders where org_id = ${orgId} group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    return { rollup: [...rollup, ...monthly], truth: [...truth, ...monthlyTruth] };
  });
}

describe("the weekly rollup", () => {
  it("stays equal to the orders table after draft, submit, approve, reject, cancel, through the real routes", async () => {
    const check = async (step: string) => {
      const { rollup, truth } = await rollupAndTruth(w.org.id);
      expect(rollup, step).toEqual(truth);
      expect(rollup.filter((r) => Number(r.n) < 1), step).toEqual([]);
    };
    await check("seeded");
    const lines = [{ sku: w.products.widget.sku, quantity: 60 }];
    const drafted = await call(orderList.POST, w.tokens.buyer, "POST", "/api/v1/orders", { body: { branchId: w.branches.chicago.id, lines } });
    expect(drafted.status).toBe(201);
    await check("draft");
    const id = drafted.body.id as string;
    expect((await call(submitRoute.POST, w.tokens.buyer, "POST", `/api/v1/orders/${id}/submit`, { params: { id } })).status).toBe(200);
    await check("submitted");
    expect((await call(approveRoute.POST, w.tokens.manager, "POST", `/api/v1/orders/${id}/approve`, { params: { id } })).status).toBe(200);
    await check("approved");
    const second = await call(orderList.POST, w.tokens.buyer, "POST", "/api/v1/orders", { body: { branchId: w.branches.chicago.id, lines, submit: true } });
    expect(second.status).toBe(201);
    const sid = second.body.id as string;
    expect((await call(rejectRoute.POST, w.tokens.manager, "POST", `/api/v1/orders/${sid}/reject`, { params: { id: sid }, body: { comment: "no" } })).status).toBe(200);
    await check("rejected");
    const third = await call(orderList.POST, w.tokens.buyer, "POST", "/api/v1/orders", { body: { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] } });
    const tid = third.body.id as string;
    expect((await call(cancelRoute.POST, w.tokens.buyer, "POST", `/api/v1/orders/${tid}/cancel`, { params: { id: tid } })).status).toBe(200);
    await check("cancelled");
    // A change that moves an order to another day, and a delete, as the operator would.
    await asOperator((tx) => tx.execute(sql`update orders set placed_at = placed_at - interval '3 days', total_minor = total_minor + 1 where id = ${tid}`));
    await check("moved");
    await asOperator((tx) => tx.execute(sql`delete from orders where id = ${tid}`));
    await check("deleted");
  });

  it("is under row-level security: another org's transaction reads none of its rows", async () => {
    const other = await makeOrg("Rollup Stranger");
    const admin = await makeMember(other.operator, { roleName: "Admin" });
    const seen = await readAs(admin.principal, (tx) => tx.execute(sql`select count(*)::int as n from order_weekly_totals where org_id = ${w.org.id}`));
    expect(seen[0]!.n).toBe(0);
  });
});

describe("order figures", () => {
  it("are the same from the rollup as straight from orders, for every persona's scope", async () => {
    for (const [name, m] of Object.entries(w.members)) {
      const fromRollup = await figureOf(m.principal, rollupSource);
      const fromOrders = await figureOf(m.principal, ordersSource);
      expect(fromRollup, name).toEqual(fromOrders);
    }
  });

  it("count what they should: the admin sees both regions in the window, none of the older orders", async () => {
    const f = await figureOf(w.members.admin.principal);
    const byCurrency = (rows: Array<{ currency: string; count: number; totalMinor: number }>, c: string) => rows.filter((r) => r.currency === c).reduce((s, r) => ({ n: s.n + r.count, t: s.t + r.totalMinor }), { n: 0, t: 0 });
    const statuses = f.statuses;
    // Seeded: Chicago 6 USD (100_00..100_05); Berlin 3 USD (50_00, 50_02, 50_04) and 3 EUR (50_01, 50_03, 50_05); plus what the routes test placed.
    const eur = byCurrency(statuses, "EUR");
    expect(eur).toEqual({ n: 3, t: 50_01 + 50_03 + 50_05 });
    expect(f.branches.map((b) => b.id)).toEqual(expect.arrayContaining([w.branches.chicago.id, w.branches.berlin.id]));
    expect(f.weeks.map((row) => row.week).filter((week) => !weeksOf(window).includes(week))).toEqual([]);
    expect(statuses.reduce((n, s) => n + s.count, 0)).toBe(f.weeks.reduce((n, s) => n + s.count, 0));
  });

  it("stay in scope: a Chicago buyer sees Chicago and their own orders, an EMEA manager only Berlin, another org's admin nothing", async () => {
    const chicago = await figureOf(w.members.buyer.principal);
    expect(chicago.buyers.map((b) => b.id)).not.toContain(w.members.emeaManager.userId);
    expect(chicago.statuses.some((s) => s.currency === "EUR")).toBe(false);
    // Of Berlin, only the buyer's own order: the union of orders:read (Chicago) and orders:read-own.
    expect(chicago.branches.filter((b) => b.id === w.branches.berlin.id)).toEqual([{ id: w.branches.berlin.id, currency: "USD", count: 1, totalMinor: 77_00 }]);
    expect(new Set(chicago.weeks.map((r) => r.branchId))).toEqual(new Set([w.branches.chicago.id, w.branches.berlin.id]));
    const viewer = await figureOf(w.members.viewer.principal);
    expect(new Set(viewer.weeks.map((r) => r.branchId)), "orders:read at Chicago only").toEqual(new Set([w.branches.chicago.id]));
    const berlinOnly = await figureOf(w.members.emeaManager.principal);
    expect(new Set(berlinOnly.branches.map((r) => r.id))).toEqual(new Set([w.branches.berlin.id]));
    expect(berlinOnly.statuses.reduce((n, s) => n + s.count, 0)).toBe(7);
    const stranger = await makeMember((await makeOrg("Stranger Co")).operator, { roleName: "Admin" });
    expect(await figureOf(stranger.principal)).toEqual({ weeks: [], statuses: [], buyers: [], branches: [] });
  });

  it("drill down to lists of the same size: each status, top buyer, top branch and chart cell", async () => {
    const admin = w.members.admin.principal;
    const overview = (await readAs(admin, (tx) => loadOrderOverview(tx, admin, window)))!;
    const listed = async (q: Partial<OrderListQuery>) => (await readAs(admin, (tx) => listOrders(tx, admin, orderListQuerySchema.parse({ limit: 200, from: window.from, to: window.to, ...q })))).data.length;
    for (const status of new Set(overview.statuses.map((s) => s.status))) {
      expect(await listed({ status }), status).toBe(overview.statuses.filter((s) => s.status === status).reduce((n, s) => n + s.count, 0));
    }
    for (const b of overview.topBuyers) expect(await listed({ buyer: b.id }), b.name).toBe(b.count);
    for (const b of overview.topBranches) expect(await listed({ branch: b.id }), b.name).toBe(b.count);
    for (const cell of overview.weeks.filter((c) => c.currency === "EUR")) {
      const days = weekWithin(cell.week, window);
      const all = overview.weeks.filter((c) => c.week === cell.week && c.branchId === cell.branchId).reduce((n, c) => n + c.count, 0);
      expect(await listed({ branch: cell.branchId, ...days })).toBe(all);
    }
    expect(overview.topBuyers.find((b) => b.id === w.members.buyer.userId)?.name).toBeTruthy();
  });

  it("count what waits for the member's approval, and only for approvers", async () => {
    const res = await call(orderList.POST, w.tokens.buyer, "POST", "/api/v1/orders", { body: { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 70 }], submit: true } });
    expect(res.status).toBe(201);
    const manager = w.members.manager.principal;
    const mine = (await readAs(manager, (tx) => loadOrderOverview(tx, manager, window)))!;
    expect(mine.waiting?.count).toBeGreaterThanOrEqual(1);
    const emea = w.members.emeaManager.principal;
    expect((await readAs(emea, (tx) => loadOrderOverview(tx, emea, window)))!.waiting).toEqual({ count: 0, more: false });
    const buyer = w.members.buyer.principal;
    expect((await readAs(buyer, (tx) => loadOrderOverview(tx, buyer, window)))!.waiting).toBeNull();
  });

  it("are empty, not missing, for a new org's admin", async () => {
    const admin = await makeMember((await makeOrg("Empty Co")).operator, { roleName: "Admin" });
    const overview = await readAs(admin.principal, (tx) => loadOrderOverview(tx, admin.principal, window));
    expect(overview).toMatchObject({ weeks: [], statuses: [], topBuyers: [], topBranches: [], waiting: { count: 0, more: false } });
  });
});

describe("people and activity", () => {
  it("People is absent without users:read; with it each count equals the Users list behind it", async () => {
    expect(await readAs(w.members.viewer.principal, (tx) => countPeople(tx, w.members.viewer.principal))).toBeNull();
    expect(await readAs(w.members.buyer.principal, (tx) => countPeople(tx, w.members.buyer.principal))).toBeNull();
    await runCommand(createMemberCommand, w.org.operator, meta, { email: `${unique("invitee")}@example.test`, roleName: "Buyer", branchId: w.branches.chicago.id });
    await signInAs(w.members.manager.email);
    await asOperator((tx) => tx.insert(sessions).values({ tokenHash: randomUUID(), userId: w.members.viewer.userId, createdAt: new Date(now.getTime() - 100 * DAY), expiresAt: new Date(now.getTime() - 99 * DAY) }));
    for (const m of [w.members.admin, w.members.manager, w.members.emeaManager]) {
      const counts = (await readAs(m.principal, (tx) => countPeople(tx, m.principal)))!;
      for (const figure of Object.keys(PEOPLE_FIGURES) as PeopleFigure[]) {
        const page = await readAs(m.principal, (tx) => listMembers(tx, m.principal, memberListQuerySchema.parse({ ...PEOPLE_FIGURES[figure], limit: 200 })));
        expect(counts[figure], `${m.email} ${figure}`).toBe(page.data.length);
      }
    }
    const admin = (await readAs(w.members.admin.principal, (tx) => countPeople(tx, w.members.admin.principal)))!;
    expect(admin.invited).toBeGreaterThanOrEqual(1);
    // The manager signed in just now; the viewer's only session is 100 days old; nobody else signed in.
    const stale = await readAs(w.members.admin.principal, (tx) => listMembers(tx, w.members.admin.principal, memberListQuerySchema.parse({ status: "active", noSignInDays: "90", limit: 200 })));
    const staleEmails = stale.data.map((r) => r.email);
    expect(staleEmails).toContain(w.members.viewer.email);
    expect(staleEmails).not.toContain(w.members.manager.email);
    // The EMEA manager lists people of EMEA only.
    const emea = (await readAs(w.members.emeaManager.principal, (tx) => countPeople(tx, w.members.emeaManager.principal)))!;
    expect(emea.active).toBeLessThan(admin.active);
  });

  it("Recent activity is absent without audit:read; with it, only the org's own events, newest first", async () => {
    expect(await readAs(w.members.manager.principal, (tx) => listRecentActivity(tx, w.members.manager.principal))).toBeNull();
    const events = (await readAs(w.members.admin.principal, (tx) => listRecentActivity(tx, w.members.admin.principal)))!;
    expect(events.length).toBeGreaterThan(0);
    const ids = events.map((e) => e.id);
    const own = await asOperator((tx) => tx.execute(sql`select count(*)::int as n from audit_events where org_id = ${w.org.id} and id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`));
    expect(own[0]!.n).toBe(ids.length);
    const times = events.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
  });
});

describe("the order list's new filters", () => {
  it("refuse a reversed range and impossible days, naming the field", async () => {
    const admin = w.members.admin.principal;
    await expect(readAs(admin, (tx) => listOrders(tx, admin, orderListQuerySchema.parse({ from: "2026-05-02", to: "2026-05-01" })))).rejects.toMatchObject({ fieldErrors: { to: [expect.stringContaining("start date")] } });
    for (const bad of ["2026-02-30", "1999-12-31", "99999-01-01", "2026-1-1", "2026-05-01\u0000"]) {
      const parsed = orderListQuerySchema.safeParse({ from: bad });
      expect(parsed.success, bad).toBe(false);
    }
  });
});
