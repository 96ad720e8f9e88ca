import { and, asc, desc, eq, gt, like, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { branches, orders, users } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import type { Principal } from "@/lib/core/context";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { ValidationError } from "@/lib/core/errors";
import { inBranchSubtree, visibleOrdersCondition } from "./order-scope";
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

  const conditions: SQL[] = [visibleOrdersCondition(principal)];
  if (query.status) conditions.push(eq(orders.status, query.status));
  if (query.q) conditions.push(like(orders.number, `${escapeLike(query.q)}%`));
  if (query.branch) {
    const branch = await findBranch(db, orgId, query.branch);
    conditions.push(branch ? inBranchSubtree(orgId, branch.path) : sql`false`);
  }
  const cursorText = query.before ?? query.cursor;
  if (cursorText) {
    const field = query.before ? "before" : "cursor";
    const { value, id } = decodeCursor(cursorText, { sort: query.sort, dir: query.dir, field });
    const typed = typedSortValue(query.sort, value, field);
    const compare = ascending ? gt : lt;
    conditions.push(or(compare(column, typed), and(eq(column, typed), compare(orders.id, id)))!);
  }

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
    .where(and(...conditions))
    .orderBy(...(ascending ? [asc(column), asc(orders.id)] : [desc(column), desc(orders.id)]))
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

function sortValue(sort: OrderSortKey, row: OrderSummary): string | number {
  if (sort === "placed") return row.placedAt;
  if (sort === "total") return row.totalMinor;
  return row.number;
}

/** The cursor's value as the sort column's type; a value of the wrong shape is bad input. */
function typedSortValue(sort: OrderSortKey, value: string | number, field: string): Date | number | string {
  if (sort === "placed") {
    const date = new Date(String(value));
    if (typeof value === "string" && !Number.isNaN(date.getTime())) return date;
  } else if (sort === "total") {
    if (typeof value === "number" && Number.isSafeInteger(value)) return value;
  } else if (typeof value === "string") {
    return value;
  }
  throw new ValidationError({ [field]: ["is not a cursor this server issued"] });
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
