import { and, asc, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { products } from "@/db/schema";
import { escapeLike } from "@/lib/core/escape-like";

/** Up to this many matches, a page is their rows sorted; above it, the term is so common that walking the name order finds a page at once. */
export const MAX_COLLECTED_MATCHES = 20_000;

export interface PageKey {
  id: string;
  nameKey: string;
}

/**
 * The ids of one page of products in name order: `conditions` (org, active, category, cursor)
 * and, when `q` is given, "its SKU or name contains q". Built for row-level security, where
 * PostgreSQL lets only leakproof operators (=, <, >=, starts_with; not LIKE, not lower()) use an
 * index (docs/adr/0013-supplier-and-accounts.md):
 *
 * - no search: a range of the (org_id, name_key, id) index;
 * - one or two characters: a prefix of the SKU or the name (trigrams need three), as a range on
 *   the stored lower-case keys' text_pattern_ops indexes, with starts_with for exactness;
 * - three or more: countersign_search_products() finds the matching ids through the trigram
 *   index, as the table owner but with the same visibility rule, once; up to
 *   MAX_COLLECTED_MATCHES the page is sorted from those rows alone. A term matching more than
 *   that walks the name order and filters, which finds a page quickly since one product in five
 *   matches.
 */
export async function selectProductPage(db: Executor, conditions: SQL[], q: string | undefined, limit: number): Promise<PageKey[]> {
  const needle = q?.trim().toLowerCase() ?? "";
  const walk = (extra?: SQL) =>
    db
      .select({ id: products.id, nameKey: sql<string>`${products.nameKey}` })
      .from(products)
      .where(and(...conditions, extra))
      .orderBy(asc(products.nameKey), asc(products.id))
      .limit(limit);
  if (needle.length === 0) return walk();
  if (needle.length < 3) {
    const upper = `${needle}\u{10ffff}`;
    const prefix = (column: typeof products.skuKey | typeof products.nameKey) => and(sql`${column} ~>=~ ${needle}`, sql`${column} ~<~ ${upper}`, sql`starts_with(${column}, ${needle})`)!;
    return walk(or(prefix(products.skuKey), prefix(products.nameKey)));
  }
  const pattern = `%${escapeLike(needle)}%`;
  // One call of the search function: its ids, how many, and the page sorted from them.
  const rows = await db.execute<{ matches: number; id: string | null; name_key: string | null }>(sql`
    with m as materialized (select countersign_search_products(${pattern}, ${MAX_COLLECTED_MATCHES + 1}) as id)
    select (select count(*) from m)::int as matches, page.id, page.name_key
    from (select 1) as one
    left join lateral (
      select ${products.id} as id, ${products.nameKey} as name_key from ${products}
      where ${products.id} in (select id from m) and ${and(...conditions)}
      order by ${products.nameKey}, ${products.id}
      limit ${limit}
    ) as page on true`);
  if ((rows[0]?.matches ?? 0) > MAX_COLLECTED_MATCHES) return walk(like(products.searchText, pattern));
  return rows.filter((r) => r.id !== null).map((r) => ({ id: r.id!, nameKey: r.name_key ?? "" }));
}

/** Case-insensitive exact SKU, through the unique (org_id, sku_key) index. */
export function skuEquals(sku: string): SQL {
  return eq(products.skuKey, sku.trim().toLowerCase());
}

/** Any of these SKUs (lower-cased), through the same index. */
export function skuIn(keys: string[]): SQL {
  return inArray(products.skuKey, keys);
}
