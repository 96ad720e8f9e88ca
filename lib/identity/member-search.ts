import { and, asc, desc, inArray, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships } from "@/db/schema";
import { escapeLike } from "@/lib/core/escape-like";

/**
 * Up to this many matches, a page is sorted from those rows alone; above it, walking the sort
 * order finds a page quickly. Lower than the catalog's 20,000: at 1,000,000 members collecting
 * 20,000 ids took 0.7 s, while a term with 2,000 matches (1 in 500) finds a page of 50 within
 * some 25,000 rows of the walk (bench/provisioning.ts).
 */
export const MAX_COLLECTED_MEMBER_MATCHES = 2_000;

/** A sort order as its key columns, the last one the id (keyset pages need a total order). */
export type MemberOrder = ReadonlyArray<SQL | typeof memberships.id | typeof memberships.emailKey | typeof memberships.nameKey | typeof memberships.statusKey>;

export interface MemberPageKey {
  id: string;
  keys: string[];
}

/**
 * The ids (and sort keys) of one page of members: `conditions` (org, scope, filters, cursor) and,
 * when `q` is given, "the shown email or name contains q". Built for row-level security, where
 * only leakproof operators use an index, as lib/catalog/product-search.ts is:
 *
 * - no search: a range of the index of the sort key (one per key, each ending in id);
 * - one or two characters (trigrams need three): a prefix of the email or name key, as a range;
 * - three or more: countersign_search_members() finds the matching ids through the trigram index,
 *   as the table owner but within the transaction's org only, once; up to
 *   MAX_COLLECTED_MEMBER_MATCHES the page is sorted from those rows. A term matching more than
 *   that is so common that walking the sort order and filtering finds a page quickly.
 */
export async function selectMemberPage(db: Executor, conditions: SQL[], order: MemberOrder, backwards: boolean, q: string | undefined, limit: number, walkConditions: SQL[] = []): Promise<MemberPageKey[]> {
  const needle = q?.trim().toLowerCase() ?? "";
  const orderBy = order.map((c) => (backwards ? desc(c) : asc(c)));
  const keyColumns = order.slice(0, -1);
  const select = Object.fromEntries([["id", memberships.id], ...keyColumns.map((c, i) => [`k${i}`, sql<string>`${c}`])]) as Record<string, SQL | typeof memberships.id>;
  const toKey = (row: Record<string, unknown>): MemberPageKey => ({ id: String(row.id), keys: keyColumns.map((_, i) => String(row[`k${i}`])) });
  const walk = async (extra?: SQL) =>
    (await db.select(select).from(memberships).where(and(...conditions, extra)).orderBy(...orderBy).limit(limit)).map((r) => toKey(r as Record<string, unknown>));
  if (needle.length === 0) return walk();
  const upper = `${needle}\u{10ffff}`;
  const prefix = (column: typeof memberships.emailKey | typeof memberships.nameKey) => sql`(${column} >= ${needle} and ${column} < ${upper} and starts_with(${column}, ${needle}))`;
  const pattern = `%${escapeLike(needle)}%`;
  const hit = needle.length < 3 ? sql`(${prefix(memberships.emailKey)} or ${prefix(memberships.nameKey)})` : sql`${memberships.searchText} like ${pattern}`;
  // The sort key's index first, one chunk: a common term (or a short prefix) has its page there.
  const walker = walkConditions.length > 0 ? { walkConditions, conditions, order, backwards, hit, limit, toKey, select, matched: [] as string[], after: null as SQL | null, size: FIRST_CHUNK, chunk: 0 } : null;
  const early = walker ? await walkForMatches(db, walker, 1) : null;
  if (early) return early;
  if (needle.length < 3) return (walker && (await walkForMatches(db, walker, MAX_CHUNKS))) || walk(hit);
  const keyList = keyColumns.length ? sql`, ${sql.join(keyColumns.map((c, i) => sql`${c} as ${sql.raw(`k${i}`)}`), sql`, `)}` : sql``;
  const rows = await db.execute<Record<string, unknown> & { matches: number; id: string | null }>(sql`
    with m as materialized (select countersign_search_members(${pattern}, ${MAX_COLLECTED_MEMBER_MATCHES + 1}) as id)
    select (select count(*) from m)::int as matches, page.*
    from (select 1) as one
    left join lateral (
      select ${memberships.id} as id${keyList} from ${memberships}
      where ${memberships.id} in (select id from m) and ${and(...conditions)}
      order by ${sql.join(orderBy, sql`, `)}
      limit ${limit}
    ) as page on true`);
  if ((rows[0]?.matches ?? 0) > MAX_COLLECTED_MEMBER_MATCHES) {
    // Too common to sort from the matches: the walk goes on where it stopped.
    const later = walker ? await walkForMatches(db, walker, MAX_CHUNKS) : null;
    if (later) return later;
    // A common term: walk the sort key's index and filter. The planner cannot tell the LIKE's
    // selectivity and, guessing it rare, read the whole org and sorted it (0.5 s at 1,000,000);
    // with sorting priced out for this one statement it walks the index, which at one match in
    // 500 or more finds a page within some 25,000 rows whatever the org's size.
    await db.execute(sql`select set_config('enable_sort', 'off', true)`);
    try {
      return await walk(sql`${memberships.searchText} like ${pattern}`);
    } finally {
      await db.execute(sql`select set_config('enable_sort', 'on', true)`);
    }
  }
  return rows.filter((r) => r.id !== null).map(toKey);
}

/** The walk's first chunk, and how many chunks (each twice the last) it takes at most. */
const FIRST_CHUNK = 4_000;
const MAX_CHUNKS = 4;

interface Walker {
  walkConditions: SQL[];
  conditions: SQL[];
  order: MemberOrder;
  backwards: boolean;
  hit: SQL;
  limit: number;
  toKey: (row: Record<string, unknown>) => MemberPageKey;
  select: Record<string, SQL | typeof memberships.id>;
  /** Where the walk is: the matches so far, the bound after the last row walked, the next chunk's size. */
  matched: string[];
  after: SQL | null;
  size: number;
  chunk: number;
}

/**
 * A search as a walk of the sort key's index in chunks: each chunk's rows that match the term
 * are kept, and only those are checked against the rest of `conditions` (the reader's scope, the
 * filters: grant probes) and sorted. Their first `limit` are the page when that many pass, or
 * when the walk reached the end of the org; else the next chunk, up to `upTo` chunks in all. Then
 * null: the term is rarer than the walk can afford, and the trigram index (or, past its cap, the
 * plain walk) answers. Common terms, which the trigram index answers slowly (its bitmap holds
 * every match), and a branch manager's search, where one match in ten is theirs, end within the
 * first chunks (bench/provisioning.ts).
 */
async function walkForMatches(db: Executor, w: Walker, upTo: number): Promise<MemberPageKey[] | null> {
  const dir = sql.raw(w.backwards ? "desc" : "asc");
  const orderList = sql.join(w.order.map((c) => sql`${c} ${dir}`), sql`, `);
  const columns = sql.join(w.order.map((c) => sql`${c}`), sql`, `);
  for (; w.chunk < upTo; w.chunk++, w.size *= 2) {
    const size = w.size;
    // The chunk's size is written into the statement: bound, the generic plan may not walk.
    const rows = await db.execute<{ id: string; hit: boolean; n: number; last: string }>(sql`
      select id, hit, n, last from (
        select ${memberships.id} as id, ${w.hit} as hit, row_number() over (order by ${orderList}) as n,
               json_build_array(${columns})::text as last
        from ${memberships} where ${and(...w.walkConditions, ...(w.after ? [w.after] : []))}
        order by ${orderList} limit ${sql.raw(String(size))}
      ) chunk where hit or n = ${size}`);
    for (const r of rows) if (r.hit) w.matched.push(r.id);
    const lastRow = rows.find((r) => Number(r.n) === size);
    if (w.matched.length >= w.limit || !lastRow) {
      const page = w.matched.length
        ? (await db.select(w.select).from(memberships).where(and(...w.conditions, inArray(memberships.id, w.matched))).orderBy(...w.order.map((c) => (w.backwards ? desc(c) : asc(c)))).limit(w.limit)).map((r) => w.toKey(r as Record<string, unknown>))
        : [];
      if (page.length === w.limit || !lastRow) return page;
    }
    const values = JSON.parse(lastRow!.last) as string[];
    w.after = sql`(${columns}) ${sql.raw(w.backwards ? "<" : ">")} (${sql.join(values.map((v, i) => (i === values.length - 1 ? sql`${v}::uuid` : sql`${v}`)), sql`, `)})`;
  }
  return null;
}
