import { and, eq, like, or, sql, type SQL } from "drizzle-orm";
import { products } from "@/db/schema";

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * "Find products by SKU or name". Three characters or more: a substring of either, through the
 * trigram index on search_text. One or two: a prefix of either (trigrams need three), as an
 * explicit range on the text_pattern_ops indexes, so the plan stays indexed even when PostgreSQL
 * reuses a generic plan for a parameter it cannot see.
 */
export function productSearchCondition(q: string): SQL {
  const needle = q.trim().toLowerCase();
  if (needle.length >= 3) return like(products.searchText, `%${escapeLike(needle)}%`);
  const upper = `${needle}\u{10ffff}`;
  const prefix = (column: SQL) => and(sql`${column} ~>=~ ${needle}`, sql`${column} ~<~ ${upper}`, like(column, `${escapeLike(needle)}%`))!;
  return or(prefix(sql`lower(${products.sku})`), prefix(sql`lower(${products.name})`))!;
}

/** Case-insensitive exact SKU, through the unique index. */
export function skuEquals(sku: string): SQL {
  return eq(sql`lower(${products.sku})`, sku.trim().toLowerCase());
}
