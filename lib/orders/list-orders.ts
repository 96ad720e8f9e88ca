import { and, asc, desc, eq, inArray, like, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, orders, users } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import type { Principal } from "@/lib/core/context";
import { cursorInstant, decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { escapeLike } from "@/lib/core/escape-like";
import { ValidationError } from "@/lib/core/errors";
import { pathInSubtree } from "@/lib/access/scope-condition";
import { inBranchesWhere, inBranchSubtree, orderVisibility, type OrderVisibility } from "./order-scope";
import type { OrderListQuery, OrderSortKey, OrderSummary } from "./schemas";

export interface OrderPage {
  data: OrderSummary[];
  /** Cursor for the page after this one, or null at the end. */
  nextCursor: string | null;
  /** Cursor for the page before this one, or null on the first page. */
  prevCursor: string | null;
}

const sortColumns = { placed: orders.placedAt, total: orders.totalMinor, number: orders.number } as const;

/**
 * One keyset page of the orders the principal may read. Each sort key has an index ending in
 * id, so a deep page costs the same as the first.
 */
export async function listOrders(db: Executor, principal: Principal, query: OrderListQuery): Promise<OrderPage> {
  const orgId = principal.org?.id;
  if (!orgId) return { data: [], nextCursor: null, prevCursor: null };
  const column = sortColumns[query.sort];
  const backwards = Boolean(query.before);
  // Walking backwards means reading in the opposite order, then flipping the page.
  const ascending = (query.dir === "asc") !== backwards;

  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(orders.status, query.status));
  if (query.q) conditions.push(like(orders.number, `${escapeLike(query.q)}%`));
  if (query.buyer) conditions.push(eq(orders.buyerId, query.buyer));
  conditions.push(...placedBetween(query.from, query.to));
  const cursorText = query.before ?? query.cursor;
  if (cursorText) {
    const field = query.before ? "before" : "cursor";
    const { value, id } = decodeCursor(cursorText, { sort: query.sort, dir: query.dir, field });
    const typed = typedSortValue(query.sort, value, field);
    // A row comparison, not "a < x or (a = x and id < y)": PostgreSQL turns it into an index
    // bound, so a deep page starts where the last one ended instead of re-reading everything.
    const param = typed instanceof Date ? sql`${typed.toISOString()}::timestamptz` : query.sort === "total" ? sql`${typed}::bigint` : sql`${typed}::text`;
    conditions.push(sql`(${column}, ${orders.id}) ${sql.raw(ascending ? ">" : "<")} (${param}, ${id}::uuid)`);
  }
  const order = ascending ? [asc(column), asc(orders.id)] : [desc(column), desc(orders.id)];
  const visibility = orderVisibility(principal);
  if (!visibility) return { data: [], nextCursor: null, prevCursor: null };
  let branchFilter: string | null = null;
  if (query.branch) {
    const branch = await findBranch(db, orgId, query.branch);
    if (!branch) return { data: [], nextCursor: null, prevCursor: null };
    branchFilter = branch.path;
  }
  // The page is chosen from orders alone, then joined for names: when the planner misjudges a
  // subtree's size it may collect thousands of candidate rows, and joining every one of them
  // before the limit cost more than the whole rest of the query (bench/access.ts EXPLAIN).
  const pageIds = await selectPageIds(db, visibility, branchFilter, conditions, query.sort, ascending, query.limit + 1);

  const rows = await db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      branchId: orders.branchId,
      branchName: branches.name,
      buyerId: orders.buyerId,
      buyerName: users.name,
      currency: orders.currency,
      totalMinor: orders.totalMinor,
      placedAt: orders.placedAt,
    })
    .from(orders)
    .innerJoin(branches, eq(branches.id, orders.branchId))
    .innerJoin(users, eq(users.id, orders.buyerId))
    .where(inArray(orders.id, pageIds.length ? pageIds : [ZERO_UUID]))
    .orderBy(...order)
    .limit(query.limit + 1);

  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (backwards) page.reverse();
  const data = page.map((r) => ({ ...r, placedAt: r.placedAt.toISOString() }));
  const first = data[0];
  const last = data[data.length - 1];
  const moreAfter = backwards ? true : hasMore;
  const moreBefore = backwards ? hasMore : Boolean(query.cursor);
  return {
    data,
    nextCursor: moreAfter && last ? encodeCursor(query.sort, query.dir, sortValue(query.sort, last), last.id) : null,
    prevCursor: moreBefore && first ? encodeCursor(query.sort, query.dir, sortValue(query.sort, first), first.id) : null,
  };
}

/** The date-range filter as bounds on placed_at: whole UTC days, both ends included. */
function placedBetween(from: string | undefined, to: string | undefined): SQL[] {
  if (from && to && from > to) throw new ValidationError({ to: ["must be the same day as the start date or later"] });
  const out: SQL[] = [];
  if (from) out.push(sql`${orders.placedAt} >= ${from}::date::timestamp at time zone 'UTC'`);
  if (to) out.push(sql`${orders.placedAt} < (${to}::date + 1)::timestamp at time zone 'UTC'`);
  return out;
}

function sortValue(sort: OrderSortKey, row: OrderSummary): string | number {
  if (sort === "placed") return row.placedAt;
  if (sort === "total") return row.totalMinor;
  return row.number;
}

/** The cursor's value as the sort column's type; a value of the wrong shape is bad input. */
function typedSortValue(sort: OrderSortKey, value: string | number, field: string): Date | number | string {
  if (sort === "placed") {
    return cursorInstant(value, field);
  } else if (sort === "total") {
    if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  } else if (typeof value === "string") {
    return value;
  }
  throw new ValidationError({ [field]: ["is not a cursor this server issued"] });
}

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

/** Few enough branches to read one by one (each its own index range); more, and the planner's plan stands. */
const PER_BRANCH_CAP = 200;

/**
 * The page's ids: the top of each part of the principal's visibility (their branches, their own
 * orders), unioned. Sorted by placement time within a branch subtree, each branch is read on
 * its own (branch, placed_at, id) index range and the tops merged: the planner cannot know how
 * many orders a subtree holds, and at 100,000 orders in one branch it guessed 109, then sorted
 * all 100,000 (130 ms; bench/orders.ts --part volume).
 */
async function selectPageIds(db: Executor, visibility: OrderVisibility, branchFilter: string | null, conditions: SQL[], sort: OrderSortKey, ascending: boolean, take: number): Promise<string[]> {
  const column = sortColumns[sort];
  const dir = sql.raw(ascending ? "asc" : "desc");
  const { orgId } = visibility;
  const filter = branchFilter ? [pathInSubtree(branches.path, branchFilter)] : [];
  const top = (where: SQL[], inOrg: SQL[] = [eq(orders.orgId, orgId)]) => sql`(select ${orders.id} as id, ${column} as k from ${orders} where ${and(...inOrg, ...where, ...conditions)} order by ${column} ${dir}, ${orders.id} ${dir} limit ${take})`;
  const branchTop = async (branchConditions: SQL[]) => {
    const ids = sort === "placed" && branchConditions.length > 0 ? await fewBranchIds(db, orgId, branchConditions) : null;
    if (!ids) return top(branchConditions.length ? [inBranchesWhere(orgId, and(...branchConditions)!)] : []);
    if (ids.length === 0) return null;
    const list = sql`array[${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}]`;
    // No org_id term inside: with it the planner walked the org's (org, placed_at) index,
    // filtering by branch, through every order of the org for a branch with none. The branch
    // ids are this org's (read just above), and row-level security still applies.
    return sql`(select o.id, o.k from unnest(${list}) as b(id) cross join lateral ${top([sql`${orders.branchId} = b.id`], [])} o)`;
  };
  const tops: SQL[] = [];
  if (visibility.branches === "all") {
    const t = await branchTop(filter);
    if (t) tops.push(t);
  } else {
    if (visibility.branches) {
      const t = await branchTop([visibility.branches, ...filter]);
      if (t) tops.push(t);
    }
    // The org check is kept but written so no index can use it: given "org and buyer", the
    // planner ANDed the two indexes' bitmaps and sorted the buyer's 100,000 orders (110 ms at
    // 10M); on the buyer's own (buyer, placed_at, id) index the page is the first rows.
    if (visibility.ownBuyerId) tops.push(top([eq(orders.buyerId, visibility.ownBuyerId), ...(branchFilter ? [inBranchSubtree(orgId, branchFilter)] : [])], [sql`(${orders.orgId} = ${orgId}) is true`]));
  }
  if (tops.length === 0) return [];
  const rows = await db.execute<{ id: string }>(sql`select id from (${sql.join(tops, sql` union `)}) tops order by k ${dir}, id ${dir} limit ${take}`);
  return rows.map((r) => r.id);
}

/** The ids of the org's branches meeting every condition, or null when there are more than PER_BRANCH_CAP. */
async function fewBranchIds(db: Executor, orgId: string, branchConditions: SQL[]): Promise<string[] | null> {
  const rows = await db.select({ id: branches.id }).from(branches).where(and(eq(branches.orgId, orgId), ...branchConditions)).limit(PER_BRANCH_CAP + 1);
  return rows.length > PER_BRANCH_CAP ? null : rows.map((r) => r.id);
}
