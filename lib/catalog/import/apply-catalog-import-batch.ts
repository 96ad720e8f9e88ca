import type { CommandTx } from "@/lib/core/command-tx";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { catalogImportRows, catalogImports, productPrices, products } from "@/db/schema";
import { assertSupplierStaff } from "@/lib/accounts/supplier-scope";
import { defineCommand, notFound } from "@/lib/core/command";
import { isUuid } from "@/lib/core/ids";
import { skuIn } from "../product-search";
import type { ImportRowData, OptionalColumn } from "./parse-catalog-csv";

export const IMPORT_BATCH_SIZE = 1000;

export const applyCatalogImportBatchSchema = z.object({ importId: z.uuid({ message: "must be an import id" }) });

type Outcome = "created" | "updated" | "unchanged";

export interface ImportProgress {
  importId: string;
  status: "ready" | "applying" | "applied";
  validRows: number;
  appliedRows: number;
  created: number;
  updated: number;
  unchanged: number;
  done: boolean;
}

/**
 * Step two: applies the next 1,000 checked rows of an import (rows with errors are skipped). One
 * command, and one audit event naming every SKU it created or changed, per batch rather than per
 * row: a 100,000-row file is 100 events instead of 100,000, each still saying exactly what
 * changed. Callers loop until `done`, which drives the progress bar; a closed tab resumes where
 * it stopped. Applying is idempotent: a row equal to the catalog changes nothing (`unchanged`),
 * so the same file applied again, or a batch retried, leaves the catalog as it is.
 */
export const applyCatalogImportBatchCommand = defineCommand({
  name: "catalog.import.batch.applied",
  description: "A batch of up to 1,000 rows of a catalog import was applied: products created or updated from the file (the SKUs created and updated, and the unchanged count, in the metadata).",
  access: { permission: "catalog:manage" },
  input: applyCatalogImportBatchSchema,
  async run({ tx, principal }, input) {
    const supplier = await assertSupplierStaff(tx, principal, "catalog:manage");
    if (!isUuid(input.importId)) notFound("Import");
    // One batch at a time per import: a second tab waits here, then takes the next batch.
    const [job] = await tx.select().from(catalogImports).where(and(eq(catalogImports.id, input.importId), eq(catalogImports.orgId, supplier.id))).for("update");
    if (!job) notFound("Import");
    const batch = await tx
      .select({ rowNo: catalogImportRows.rowNo, data: catalogImportRows.data })
      .from(catalogImportRows)
      .where(and(eq(catalogImportRows.importId, job.id), isNull(catalogImportRows.errors), isNull(catalogImportRows.outcome)))
      .orderBy(asc(catalogImportRows.rowNo))
      .limit(IMPORT_BATCH_SIZE);
    const outcomes = await applyRows(tx, supplier.id, job.columns as OptionalColumn[], job.currencies, batch.map((r) => ({ rowNo: r.rowNo, data: r.data as unknown as ImportRowData })));
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const o of outcomes) counts[o.outcome] += 1;
    if (outcomes.length) {
      await tx.execute(sql`update catalog_import_rows r set outcome = x.outcome
        from jsonb_to_recordset(${JSON.stringify(outcomes.map((o) => ({ row_no: o.rowNo, outcome: o.outcome })))}::jsonb) as x(row_no int, outcome text)
        where r.import_id = ${job.id} and r.row_no = x.row_no`);
    }
    const validRows = job.totalRows - job.errorRows;
    const appliedRows = job.appliedRows + outcomes.length;
    const done = appliedRows >= validRows;
    const [updated] = await tx
      .update(catalogImports)
      .set({
        appliedRows,
        createdCount: job.createdCount + counts.created,
        updatedCount: job.updatedCount + counts.updated,
        unchangedCount: job.unchangedCount + counts.unchanged,
        status: done ? "applied" : "applying",
        ...(done && !job.finishedAt ? { finishedAt: sql`now()` } : {}),
      })
      .where(eq(catalogImports.id, job.id))
      .returning();
    const progress: ImportProgress = {
      importId: job.id,
      status: updated!.status,
      validRows,
      appliedRows,
      created: updated!.createdCount,
      updated: updated!.updatedCount,
      unchanged: updated!.unchangedCount,
      done,
    };
    return {
      result: progress,
      target: { type: "catalog_import", id: job.id },
      metadata: {
        fileName: job.fileName,
        rows: outcomes.length ? { from: outcomes[0]!.rowNo, to: outcomes[outcomes.length - 1]!.rowNo } : null,
        ...counts,
        createdSkus: outcomes.filter((o) => o.outcome === "created").map((o) => o.sku),
        updatedSkus: outcomes.filter((o) => o.outcome === "updated").map((o) => o.sku),
        done,
      },
    };
  },
});

interface StagedRow {
  rowNo: number;
  data: ImportRowData;
}

/**
 * Brings the catalog in line with the rows: new SKUs are inserted, existing products get the
 * fields the file has (a column it lacks is left alone), and each price column sets or, when
 * empty, removes that list price. Compared first, so an equal row writes nothing.
 */
async function applyRows(tx: CommandTx, supplierId: string, columns: OptionalColumn[], currencies: string[], rows: StagedRow[]): Promise<Array<{ rowNo: number; sku: string; outcome: Outcome }>> {
  if (rows.length === 0) return [];
  const keys = rows.map((r) => r.data.sku.toLowerCase());
  const existing = await tx.select().from(products).where(and(eq(products.orgId, supplierId), skuIn(keys)));
  const byKey = new Map(existing.map((p) => [p.sku.toLowerCase(), p]));
  const priceRows = existing.length ? await tx.select().from(productPrices).where(inArray(productPrices.productId, existing.map((p) => p.id))) : [];
  const pricesOf = new Map<string, Map<string, number>>();
  for (const p of priceRows) (pricesOf.get(p.productId) ?? pricesOf.set(p.productId, new Map()).get(p.productId)!).set(p.currency, p.unitPriceMinor);

  const has = (c: OptionalColumn) => columns.includes(c);
  const toInsert: Array<typeof products.$inferInsert> = [];
  const toUpdate: Array<{ id: string; sku: string; name: string; description: string; category: string; unit: string; active: boolean }> = [];
  const priceDeletes: Array<{ productId: string; currency: string }> = [];
  const priceUpserts: Array<{ key: string; currency: string; unitPriceMinor: number }> = [];
  const outcomes: Array<{ rowNo: number; sku: string; outcome: Outcome }> = [];

  for (const { rowNo, data } of rows) {
    const key = data.sku.toLowerCase();
    const current = byKey.get(key);
    if (!current) {
      toInsert.push({ orgId: supplierId, sku: data.sku, name: data.name, description: data.description ?? "", category: data.category ?? "", unit: data.unit ?? "each", active: data.active ?? true });
      for (const currency of currencies) if (data.prices[currency] != null) priceUpserts.push({ key, currency, unitPriceMinor: data.prices[currency]! });
      outcomes.push({ rowNo, sku: data.sku, outcome: "created" });
      continue;
    }
    const next = {
      id: current.id,
      sku: data.sku,
      name: data.name,
      description: has("description") ? data.description! : current.description,
      category: has("category") ? data.category! : current.category,
      unit: has("unit") ? data.unit! : current.unit,
      active: has("active") ? data.active! : current.active,
    };
    const fieldsChanged = next.sku !== current.sku || next.name !== current.name || next.description !== current.description || next.category !== current.category || next.unit !== current.unit || next.active !== current.active;
    if (fieldsChanged) toUpdate.push(next);
    let pricesChanged = false;
    const now = pricesOf.get(current.id) ?? new Map<string, number>();
    for (const currency of currencies) {
      const wanted = data.prices[currency] ?? null;
      const have = now.get(currency) ?? null;
      if (wanted === have) continue;
      pricesChanged = true;
      if (have !== null) priceDeletes.push({ productId: current.id, currency });
      if (wanted !== null) priceUpserts.push({ key, currency, unitPriceMinor: wanted });
    }
    outcomes.push({ rowNo, sku: data.sku, outcome: fieldsChanged || pricesChanged ? "updated" : "unchanged" });
  }

  const inserted = toInsert.length ? await tx.insert(products).values(toInsert).returning({ id: products.id, sku: products.sku }) : [];
  const idOf = new Map([...existing.map((p) => [p.sku.toLowerCase(), p.id] as const), ...inserted.map((p) => [p.sku.toLowerCase(), p.id] as const)]);
  if (toUpdate.length) {
    await tx.execute(sql`update products p set sku = x.sku, name = x.name, description = x.description, category = x.category, unit = x.unit, active = x.active, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(toUpdate)}::jsonb) as x(id uuid, sku text, name text, description text, category text, unit text, active boolean)
      where p.id = x.id and p.org_id = ${supplierId}`);
  }
  if (priceDeletes.length) {
    await tx.execute(sql`delete from product_prices pp using jsonb_to_recordset(${JSON.stringify(priceDeletes.map((d) => ({ product_id: d.productId, currency: d.currency })))}::jsonb) as x(product_id uuid, currency text)
      where pp.product_id = x.product_id and pp.currency = x.currency and pp.org_id = ${supplierId}`);
  }
  if (priceUpserts.length) await tx.insert(productPrices).values(priceUpserts.map((p) => ({ productId: idOf.get(p.key)!, orgId: supplierId, currency: p.currency, unitPriceMinor: p.unitPriceMinor })));
  return outcomes;
}
