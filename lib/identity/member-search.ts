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
export async function selectMemberPage(db: Executor, conditions: SQL[], order: MemberOrder, backwards: boolean, q: string | undefined, limit: number, matchWalk?: MatchWalk): Promise<MemberPageKey[]> {
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
  // The matches in the page's order first (countersign_member_matches), checked against the
  // conditions a batch at a time; the older paths below only when that does not settle it.
  const matched = matchWalk ? await pageFromMatches(db, { ...matchWalk, kind: needle.length < 3 ? "prefix" : "contains", term: needle.length < 3 ? needle : pattern, conditions, order, backwards, limit, select, toKey }) : null;
  if (matched) return matched;
  if (needle.length < 3) return walk(hit);
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

/** How the list's order and cursor read for countersign_member_matches (migration 0029). */
export interface MatchWalk {
  sort: "email" | "name" | "status";
  /** The cursor's sort key values, its id last; null on a first page. */
  after: string[] | null;
}

/** Matches asked for per row of the page (the reader's scope may drop some), and how many rounds (each twice the last) before the older paths answer. */
const MATCHES_PER_ROW = 4;
const MAX_ROUNDS = 5;

/**
 * A search page from the stream of matches in the page's order: the next matches from
 * countersign_member_matches (as the owner, within the org: no per-row policy, and an index-only
 * walk of the sort index or the trigram index, as the planner judges the term), each batch then
 * checked against `conditions` (the reader's scope and filters) under row-level security. The
 * first `limit` that pass are the page; fewer when the stream ended. After MAX_ROUNDS (a reader
 * who may see almost none of the matches) null, and the caller's older paths answer.
 */
async function pageFromMatches(
  db: Executor,
  w: MatchWalk & { kind: "prefix" | "contains"; term: string; conditions: SQL[]; order: MemberOrder; backwards: boolean; limit: number; select: Record<string, SQL | typeof memberships.id>; toKey: (row: Record<string, unknown>) => MemberPageKey },
): Promise<MemberPageKey[] | null> {
  const passing: MemberPageKey[] = [];
  let after = w.after;
  for (let round = 0, size = w.limit * MATCHES_PER_ROW; round < MAX_ROUNDS; round++, size *= 2) {
    const afterSql = after ? sql`array[${sql.join(after.map((v) => sql`${v}`), sql`, `)}]::text[]` : sql`null::text[]`;
    const matches = await db.execute<{ id: string; keys: string }>(sql`select id, keys from countersign_member_matches(${w.kind}, ${w.term}, ${w.sort}, ${w.backwards}, ${afterSql}, ${size})`);
    if (matches.length > 0) {
      const passed = await db
        .select(w.select)
        .from(memberships)
        .where(and(...w.conditions, inArray(memberships.id, matches.map((m) => m.id))))
        .orderBy(...w.order.map((c) => (w.backwards ? desc(c) : asc(c))))
        .limit(w.limit - passing.length);
      passing.push(...passed.map((r) => w.toKey(r as Record<string, unknown>)));
    }
    if (passing.length >= w.limit || matches.length < size) return passing;
    after = JSON.parse(matches[matches.length - 1]!.keys) as string[];
  }
  return null;
}
