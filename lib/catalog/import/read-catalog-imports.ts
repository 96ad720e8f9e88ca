import { and, asc, desc, eq, gt, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { catalogImportRows, catalogImports } from "@/db/schema";
import { isUuid } from "@/lib/core/ids";

export type CatalogImportRow = typeof catalogImports.$inferSelect;

export interface CatalogImportSummary {
  id: string;
  fileName: string;
  status: "ready" | "applying" | "applied";
  totalRows: number;
  errorRows: number;
  validRows: number;
  appliedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  currencies: string[];
  columns: string[];
  createdAt: string;
  finishedAt: string | null;
  /** Before applying: how many valid rows carry a SKU the catalog has (an update) or not (new). */
  preview: { newSkus: number; existingSkus: number } | null;
}

/** One import of the supplier's, with its counters (and, before it is applied, what it would do). */
export async function getCatalogImport(db: Executor, supplierId: string, importId: string): Promise<CatalogImportSummary | null> {
  if (!isUuid(importId)) return null;
  const [row] = await db.select().from(catalogImports).where(and(eq(catalogImports.id, importId), eq(catalogImports.orgId, supplierId)));
  if (!row) return null;
  let preview: CatalogImportSummary["preview"] = null;
  if (row.status === "ready") {
    // One hash join over the staged rows and the catalog: about 100 ms at 100,000 rows, once.
    const [counts] = await db.execute<{ existing: number; fresh: number }>(sql`
      select count(p.id)::int as existing, (count(*) - count(p.id))::int as fresh
      from catalog_import_rows r left join products p on p.org_id = r.org_id and p.sku_key = lower(r.sku)
      where r.import_id = ${row.id} and r.org_id = ${supplierId} and r.errors is null`);
    preview = { newSkus: counts?.fresh ?? 0, existingSkus: counts?.existing ?? 0 };
  }
  return summarize(row, preview);
}

/** The supplier's latest imports, newest first. */
export async function listRecentCatalogImports(db: Executor, supplierId: string, limit = 10): Promise<CatalogImportSummary[]> {
  const rows = await db.select().from(catalogImports).where(eq(catalogImports.orgId, supplierId)).orderBy(desc(catalogImports.createdAt)).limit(limit);
  return rows.map((r) => summarize(r, null));
}

/** A page of an import's rows with errors, by row number (keyset on it). */
export async function listCatalogImportErrors(db: Executor, supplierId: string, importId: string, { afterRow = 0, limit = 100 } = {}) {
  if (!isUuid(importId)) return { rows: [], nextAfterRow: null };
  const rows = await db
    .select({ rowNo: catalogImportRows.rowNo, sku: catalogImportRows.sku, errors: catalogImportRows.errors })
    .from(catalogImportRows)
    .where(and(eq(catalogImportRows.importId, importId), eq(catalogImportRows.orgId, supplierId), isNotNull(catalogImportRows.errors), gt(catalogImportRows.rowNo, afterRow)))
    .orderBy(asc(catalogImportRows.rowNo))
    .limit(limit + 1);
  const page = rows.slice(0, limit).map((r) => ({ rowNo: r.rowNo, sku: r.sku, errors: r.errors ?? [] }));
  return { rows: page, nextAfterRow: rows.length > limit ? page[page.length - 1]!.rowNo : null };
}

function summarize(row: CatalogImportRow, preview: CatalogImportSummary["preview"]): CatalogImportSummary {
  return {
    id: row.id,
    fileName: row.fileName,
    status: row.status,
    totalRows: row.totalRows,
    errorRows: row.errorRows,
    validRows: row.totalRows - row.errorRows,
    appliedRows: row.appliedRows,
    created: row.createdCount,
    updated: row.updatedCount,
    unchanged: row.unchangedCount,
    currencies: row.currencies,
    columns: row.columns,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    preview,
  };
}
