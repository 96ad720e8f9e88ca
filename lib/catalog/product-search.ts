import { and, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { products } from "@/db/schema";

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Up to this many matches, a page is their rows sorted; above it, the term is so common that walking the name order finds a page at once. */
export const MAX_COLLECTED_MATCHES = 20_000;

/**
 * "Find products by SKU or name", in forms that stay fast under row-level security, where
 * PostgreSQL lets only leakproof operators (=, <, >=, starts_with; not LIKE, not lower()) use an
 * index (docs/adr/0013-supplier-and-accounts.md):
 *
 * - One or two characters: a prefix of the SKU or the name (trigrams need three), as a range on
 *   the stored lower-case keys' text_pattern_ops indexes, with starts_with for exactness.
 * - Three or more: a substring of either. countersign_search_products() finds the matching ids
 *   through the trigram index, as the table owner but with the same visibility rule. Up to
 *   MAX_COLLECTED_MATCHES, the page is read from those rows alone (found by primary key, then
 *   sorted); a term matching more than that walks the name order and filters, which finds a page
 *   within a few hundred rows because one product in five matches. One probe first says which.
 */
export async function productSearchCondition(db: Executor, q: string): Promise<SQL> {
  const needle = q.trim().toLowerCase();
  if (needle.length < 3) {
    const upper = `${needle}\u{10ffff}`;
    const prefix = (column: typeof products.skuKey | typeof products.nameKey) => and(sql`${column} ~>=~ ${needle}`, sql`${column} ~<~ ${upper}`, sql`starts_with(${column}, ${needle})`)!;
    return or(prefix(products.skuKey), prefix(products.nameKey))!;
  }
  const pattern = `%${escapeLike(needle)}%`;
  const [probe] = await db.execute<{ n: number }>(sql`select count(*)::int as n from countersign_search_products(${pattern}, ${MAX_COLLECTED_MATCHES + 1})`);
  const matches = probe?.n ?? 0;
  if (matches === 0) return sql`false`;
  if (matches > MAX_COLLECTED_MATCHES) return like(products.searchText, pattern);
  return sql`${products.id} = any(array(select countersign_search_products(${pattern}, ${MAX_COLLECTED_MATCHES})))`;
}

/** Case-insensitive exact SKU, through the unique (org_id, sku_key) index. */
export function skuEquals(sku: string): SQL {
  return eq(products.skuKey, sku.trim().toLowerCase());
}

/** Any of these SKUs (lower-cased), through the same index. */
export function skuIn(keys: string[]): SQL {
  return inArray(products.skuKey, keys);
}
