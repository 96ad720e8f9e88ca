import { and, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import type { Principal } from "@/lib/core/context";
import { visibleOrderAlternatives } from "@/lib/orders/order-scope";
import type { OrderStatus } from "@/lib/orders/schemas";
import type { OrderFigureSource } from "./order-source";
import type { OverviewWindow } from "./overview-window";

/** A count and a total in one currency; figures keep currencies apart (they never add up). */
export interface CurrencyTotal {
  currency: string;
  count: number;
  totalMinor: number;
}

export interface WeekBranchTotal extends CurrencyTotal {
  /** The Monday (UTC) the week starts on, YYYY-MM-DD. */
  week: string;
  branchId: string;
}

export interface StatusTotal extends CurrencyTotal {
  status: OrderStatus;
}

export interface RankedTotal extends CurrencyTotal {
  id: string;
}

/** How many buyers and branches the overview ranks. */
export const TOP_COUNT = 5;

/**
 * The visible part of the source within the window: the order list's own visibility
 * (visibleOrderAlternatives, over the source's org, branch and buyer columns), or null when the
 * principal may read no orders at all.
 */
function visibleWithin(principal: Principal, source: OrderFigureSource, window: OverviewWindow): SQL | null {
  const alternatives = visibleOrderAlternatives(principal, source.columns);
  if (alternatives.length === 0) return null;
  return and(alternatives.length === 1 ? alternatives[0]! : or(...alternatives)!, source.since(window.from))!;
}

type Row = Record<string, unknown>;
const totals = (r: Row) => ({ currency: String(r.currency), count: Number(r.n), totalMinor: Number(r.total) });

/** Orders per week, branch and currency: the chart. */
export async function sumOrdersByWeek(db: Executor, principal: Principal, source: OrderFigureSource, window: OverviewWindow): Promise<WeekBranchTotal[]> {
  const where = visibleWithin(principal, source, window);
  if (!where) return [];
  const rows = await db.execute<Row>(sql`
    select ${source.week}::text as week, ${source.columns.branchId} as branch_id, ${source.currency} as currency, ${source.count} as n, ${source.total} as total
    from ${source.table} where ${where} group by 1, 2, 3 order by 1, 2, 3`);
  return rows.map((r) => ({ week: String(r.week), branchId: String(r.branch_id), ...totals(r) }));
}

/** Orders per status and currency. */
export async function sumOrdersByStatus(db: Executor, principal: Principal, source: OrderFigureSource, window: OverviewWindow): Promise<StatusTotal[]> {
  const where = visibleWithin(principal, source, window);
  if (!where) return [];
  const rows = await db.execute<Row>(sql`
    select ${source.status}::text as status, ${source.currency} as currency, ${source.count} as n, ${source.total} as total
    from ${source.table} where ${where} group by 1, 2 order by 1, 2`);
  return rows.map((r) => ({ status: String(r.status) as OrderStatus, ...totals(r) }));
}

/** The buyers with the most orders (ties by id), each with their totals per currency. */
export function rankBuyers(db: Executor, principal: Principal, source: OrderFigureSource, window: OverviewWindow): Promise<RankedTotal[]> {
  return rankBy(db, principal, source, window, source.columns.buyerId);
}

/** The branches with the most orders placed at them (ties by id), with totals per currency. */
export function rankBranches(db: Executor, principal: Principal, source: OrderFigureSource, window: OverviewWindow): Promise<RankedTotal[]> {
  return rankBy(db, principal, source, window, source.columns.branchId);
}

async function rankBy(db: Executor, principal: Principal, source: OrderFigureSource, window: OverviewWindow, key: OrderFigureSource["columns"]["branchId"]): Promise<RankedTotal[]> {
  const where = visibleWithin(principal, source, window);
  if (!where) return [];
  const rows = await db.execute<Row>(sql`
    with g as (select ${key} as id, ${source.currency} as currency, ${source.count} as n, ${source.total} as total from ${source.table} where ${where} group by 1, 2),
    top as (select id, sum(n) as all_n from g group by id order by all_n desc, id limit ${TOP_COUNT})
    select g.id, g.currency, g.n, g.total from g inner join top on top.id = g.id order by top.all_n desc, g.id, g.n desc, g.currency`);
  return rows.map((r) => ({ id: String(r.id), ...totals(r) }));
}
