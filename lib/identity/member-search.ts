import { and, asc, desc, sql, type SQL } from "drizzle-orm";
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
export async function selectMemberPage(db: Executor, conditions: SQL[], order: MemberOrder, backwards: boolean, q: string | undefined, limit: number): Promise<MemberPageKey[]> {
  const needle = q?.trim().toLowerCase() ?? "";
  const orderBy = order.map((c) => (backwards ? desc(c) : asc(c)));
  const keyColumns = order.slice(0, -1);
  const select = Object.fromEntries([["id", memberships.id], ...keyColumns.map((c, i) => [`k${i}`, sql<string>`${c}`])]) as Record<string, SQL | typeof memberships.id>;
  const toKey = (row: Record<string, unknown>): MemberPageKey => ({ id: String(row.id), keys: keyColumns.map((_, i) => String(row[`k${i}`])) });
  const walk = async (extra?: SQL) =>
    (await db.select(select).from(memberships).where(and(...conditions, extra)).orderBy(...orderBy).limit(limit)).map((r) => toKey(r as Record<string, unknown>));
  if (needle.length === 0) return walk();
  if (needle.length < 3) {
    const upper = `${needle}\u{10ffff}`;
    const prefix = (column: typeof memberships.emailKey | typeof memberships.nameKey) => sql`(${column} >= ${needle} and ${column} < ${upper} and starts_with(${column}, ${needle}))`;
    return walk(sql`(${prefix(memberships.emailKey)} or ${prefix(memberships.nameKey)})`);
  }
  const pattern = `%${escapeLike(needle)}%`;
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
