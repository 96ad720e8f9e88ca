import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, users } from "@/db/schema";
import { holdsAnywhere, scopeOf } from "@/lib/access/access";
import { listWaitingApprovals } from "@/lib/approvals/list-waiting-approvals";
import type { Principal } from "@/lib/core/context";
import { rankBranches, rankBuyers, sumOrdersByStatus, sumOrdersByWeek, type CurrencyTotal, type RankedTotal, type StatusTotal, type WeekBranchTotal } from "./order-figures";
import { rollupSource, type OrderFigureSource } from "./order-source";
import type { OverviewWindow } from "./overview-window";

export interface RankedRow {
  id: string;
  name: string;
  count: number;
  totals: CurrencyTotal[];
}

export interface OrderOverview {
  window: OverviewWindow;
  weeks: WeekBranchTotal[];
  statuses: StatusTotal[];
  topBuyers: RankedRow[];
  topBranches: RankedRow[];
  /** Every branch a figure names, by id. */
  branchNames: Record<string, string>;
  /** Orders waiting for this member's decision (null without orders:approve); `more` when there are more than counted. */
  waiting: { count: number; more: boolean } | null;
}

/** How many waiting approvals the overview counts before it says "50+". */
const WAITING_COUNT_LIMIT = 50;

/**
 * The Orders part of the overview, or null for a member who may read no orders: every figure
 * from the daily rollup, within the order list's visibility, then names for what it ranks.
 */
export async function loadOrderOverview(db: Executor, principal: Principal, window: OverviewWindow, source: OrderFigureSource = rollupSource): Promise<OrderOverview | null> {
  const orgId = principal.org?.id;
  if (!orgId) return null;
  const canRead = scopeOf(principal.access, "orders:read").kind !== "none" || scopeOf(principal.access, "orders:read-own").kind !== "none";
  if (!canRead) return null;
  // One transaction is one connection: these run one after another, each a single grouped scan.
  const weeks = await sumOrdersByWeek(db, principal, source, window);
  const statuses = await sumOrdersByStatus(db, principal, source, window);
  const buyers = await rankBuyers(db, principal, source, window);
  const ranked = await rankBranches(db, principal, source, window);
  const branchIds = [...new Set([...weeks.map((w) => w.branchId), ...ranked.map((r) => r.id)])];
  const branchNames = await loadBranchNames(db, orgId, branchIds);
  const buyerNames = await loadBuyerNames(db, [...new Set(buyers.map((b) => b.id))]);
  return {
    window,
    weeks,
    statuses,
    topBuyers: groupRanked(buyers, buyerNames, "Unknown buyer"),
    topBranches: groupRanked(ranked, branchNames, "Unknown branch"),
    branchNames,
    waiting: await countWaiting(db, principal),
  };
}

async function countWaiting(db: Executor, principal: Principal): Promise<OrderOverview["waiting"]> {
  if (!holdsAnywhere(principal.access, "orders:approve")) return null;
  const page = await listWaitingApprovals(db, principal, { limit: WAITING_COUNT_LIMIT });
  return { count: page.data.length, more: page.nextCursor !== null };
}

/** Rows of one id per currency, in rank order, as one row per id. */
function groupRanked(rows: RankedTotal[], names: Record<string, string>, unknown: string): RankedRow[] {
  const out = new Map<string, RankedRow>();
  for (const r of rows) {
    const row = out.get(r.id) ?? { id: r.id, name: names[r.id] ?? unknown, count: 0, totals: [] };
    row.count += r.count;
    row.totals.push({ currency: r.currency, count: r.count, totalMinor: r.totalMinor });
    out.set(r.id, row);
  }
  return [...out.values()];
}

async function loadBranchNames(db: Executor, orgId: string, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  const rows = await db.select({ id: branches.id, name: branches.name }).from(branches).where(and(eq(branches.orgId, orgId), inArray(branches.id, ids)));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

async function loadBuyerNames(db: Executor, ids: string[]): Promise<Record<string, string>> {
  if (ids.length === 0) return {};
  // The name only, as the order list shows buyers: their address is not an order reader's to see.
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, r.name || "Unnamed buyer"]));
}
