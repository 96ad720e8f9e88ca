/** The scoped order list (lib/orders/list-orders.ts) on real PostgreSQL: first page and a deep keyset page. */
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Executor } from "@/db/client";
import { APP_ROLE } from "@/db/app-role";
import * as schema from "@/db/schema";
import { scopeOf, type Access } from "@/lib/access/access";
import { actorUserId, type Principal } from "@/lib/core/context";
import { decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { listOrders } from "@/lib/orders/list-orders";
import type { Db } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { tenantScopeOf } from "@/lib/core/read-as";
import { orderListQuerySchema, type OrderListQuery } from "@/lib/orders/schemas";
import { ORG_ID, ORG_SLUG } from "./generate";
import { msSince, nowNs } from "./stats";

export const FIRST_PAGE: OrderListQuery = orderListQuerySchema.parse({ sort: "placed", dir: "desc", limit: 50 });
/** How deep the "deep page" is: the page after this many rows (page 21 at 50 a page). */
export const DEEP_ROWS = 1000;

export function principalFor(member: { membershipId: string; userId: string; label: string }, access: Access): Principal {
  return {
    actor: { type: "user", userId: member.userId, label: member.label },
    org: { id: ORG_ID, slug: ORG_SLUG, name: "Bench Access Org" },
    membershipId: member.membershipId,
    access,
  };
}

export interface ScopeShape {
  /** orders:read: everything, nothing, or this many subtree roots. */
  read: "all" | "none" | number;
  /** Depth of the shallowest subtree root (1 = region), when read is a number. */
  depth: number | null;
  /** orders:read-own adds `or buyer_id = me` to the filter. */
  readOwn: boolean;
}

export function describeScope(access: Access): ScopeShape {
  const read = scopeOf(access, "orders:read");
  const depth = read.kind === "subtrees" ? Math.min(...read.paths.map((p) => p.split("/").length - 2)) : null;
  return { read: read.kind === "subtrees" ? read.paths.length : read.kind, depth, readOwn: scopeOf(access, "orders:read-own").kind !== "none" };
}

export function scopeLabel(s: ScopeShape): string {
  const read = s.read === "all" ? "all" : s.read === "none" ? "none" : `${s.read} subtree${s.read === 1 ? "" : "s"} (top at depth ${s.depth})`;
  return `${read}${s.readOwn ? " + own" : ""}`;
}

/**
 * The client for the proposal query: the app's role, and unprepared statements like drizzle's.
 * (With postgres.js's default named statements PostgreSQL switches to a generic plan after five
 * runs, and a generic `path like $1` cannot use the prefix index: seconds per page.)
 */
export function proposalClient(benchUrl: string): postgres.Sql {
  // Scoped to the bench org for its whole life, so row-level security applies as it does to the app.
  return postgres(benchUrl, { max: 2, prepare: false, onnotice: () => {}, connection: { role: APP_ROLE, "countersign.org_id": ORG_ID } });
}

/**
 * A cursor for a deep page, built from an order deep in the member's list: after row DEEP_ROWS,
 * or for a shorter list at the start of its last page (null when it fits on one page). The rows
 * come from the proposal query below (fast, and checked to return the same pages as listOrders);
 * walking there with listOrders itself would take seconds a page in the slow cases.
 */
export async function deepCursor(sql: postgres.Sql, principal: Principal): Promise<{ cursor: string | null; rowsBefore: number; listRows: number | null }> {
  const rows = await proposedRows(sql, principal, null, DEEP_ROWS + 1);
  const pageSize = FIRST_PAGE.limit;
  const listRows = rows.length > DEEP_ROWS ? null : rows.length;
  const rowsBefore = listRows === null ? DEEP_ROWS : Math.floor((listRows - 1) / pageSize) * pageSize;
  const last = rowsBefore > 0 ? rows[rowsBefore - 1] : undefined;
  return { cursor: last ? encodeCursor("placed", "desc", new Date(last.placedIso).toISOString(), last.id) : null, rowsBefore, listRows };
}

export async function timeList(db: Executor, principal: Principal, cursor?: string | null): Promise<{ ms: number; ids: string[] }> {
  const t = nowNs();
  // Exactly as a request does it: in a transaction scoped to the member's org, under row-level
  // security (the pool's operator bypass is switched off for the transaction).
  const page = await withTenantScope(tenantScopeOf(principal), (tx) => listOrders(tx, principal, cursor ? { ...FIRST_PAGE, cursor } : FIRST_PAGE), db as Db);
  return { ms: msSince(t), ids: page.data.map((r) => r.id) };
}

/**
 * A PROPOSAL, not the app's code: the same page as listOrders (sort placed desc) with two
 * changes, to measure what they would buy.
 *  1. The keyset test as a row comparison, `(placed_at, id) < ($1, $2)`, which PostgreSQL uses
 *     as an index bound on orders_org_placed_idx; the app's `placed_at < $1 or (placed_at = $1
 *     and id < $2)` is only a filter, so page k re-reads the k-1 pages before it.
 *  2. orders:read subtrees and orders:read-own as a UNION of two top-N queries instead of
 *     `branch_id in (subquery) or buyer_id = $me`, which PostgreSQL can only run as a hashed
 *     subplan filter on a scan of the whole org's index.
 */
export async function timeProposedList(sql: postgres.Sql, principal: Principal, cursor?: string | null): Promise<{ ms: number; ids: string[] }> {
  const t = nowNs();
  const rows = await proposedRows(sql, principal, cursor, FIRST_PAGE.limit);
  return { ms: msSince(t), ids: rows.map((r) => r.id) };
}

async function proposedRows(sql: postgres.Sql, principal: Principal, cursorText: string | null | undefined, limit: number): Promise<Array<{ id: string; placedIso: string }>> {
  const orgId = principal.org!.id;
  const read = scopeOf(principal.access, "orders:read");
  const ownUser = scopeOf(principal.access, "orders:read-own").kind !== "none" ? actorUserId(principal.actor) : null;
  const key = cursorText ? decodeCursor(cursorText, { sort: "placed", dir: "desc", field: "cursor" }) : null;
  const after = key ? sql`and (o.placed_at, o.id) < (${String(key.value)}::timestamptz, ${key.id}::uuid)` : sql``;
  const arm = (where: postgres.PendingQuery<postgres.Row[]>) => sql`
    (select o.id, o.number, o.status, o.branch_id, o.buyer_id, o.currency, o.total_minor, o.placed_at
     from orders o where o.org_id = ${orgId} and ${where} ${after}
     order by o.placed_at desc, o.id desc limit ${limit + 1})`;
  const arms: postgres.PendingQuery<postgres.Row[]>[] = [];
  if (read.kind === "all") arms.push(arm(sql`true`));
  if (read.kind === "subtrees") {
    const like = read.paths.map((p) => sql`path like ${`${p}%`}`).reduce((acc, part) => sql`${acc} or ${part}`);
    arms.push(arm(sql`o.branch_id in (select id from branches where org_id = ${orgId} and (${like}))`));
  }
  if (ownUser && read.kind !== "all") arms.push(arm(sql`o.buyer_id = ${ownUser}`));
  if (arms.length === 0) return [];
  const union = arms.reduce((acc, a) => sql`${acc} union ${a}`);
  // The app pool's client has drizzle's raw-string timestamp parser, hence the ISO text.
  const rows = await sql<{ id: string; placedIso: string }[]>`
    select k.id, k.number, k.status, k.branch_id, b.name as branch_name, k.buyer_id, u.name as buyer_name, k.currency, k.total_minor, k.placed_at,
      to_json(k.placed_at) #>> '{}' as "placedIso"
    from (${union}) k join branches b on b.id = k.branch_id join users u on u.id = k.buyer_id
    order by k.placed_at desc, k.id desc limit ${limit + 1}`;
  return rows.slice(0, limit);
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of exactly the SQL listOrders sends: run it once on a client that
 * records its queries, then explain the recorded text with the recorded parameters.
 */
export async function explainList(benchUrl: string, principal: Principal, cursor?: string | null): Promise<string> {
  let captured: { query: string; params: unknown[] } | null = null;
  const client = postgres(benchUrl, {
    max: 1,
    onnotice: () => {},
    connection: { role: APP_ROLE, "countersign.org_id": ORG_ID }, // under row-level security, like a request
    debug: (_connection, query, params) => {
      if (/from "orders"/i.test(query)) captured = { query, params };
    },
  });
  try {
    await listOrders(drizzle(client, { schema }), principal, cursor ? { ...FIRST_PAGE, cursor } : FIRST_PAGE);
    const recorded = captured as { query: string; params: unknown[] } | null;
    if (!recorded) return "(query not captured)";
    const rows = await client.unsafe(`explain (analyze, buffers) ${recorded.query}`, recorded.params as postgres.ParameterOrJSON<never>[]);
    return rows.map((r) => String((r as Record<string, unknown>)["QUERY PLAN"])).join("\n");
  } finally {
    await client.end({ timeout: 5 });
  }
}
