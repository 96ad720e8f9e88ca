import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { catalogImportRows, catalogImports } from "@/db/schema";
import { assertSupplierStaff } from "@/lib/accounts/supplier-scope";
import { defineCommand } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { MAX_IMPORT_BYTES, parseCatalogCsv, type CatalogCsvHeader, type ParsedRow } from "./parse-catalog-csv";

const STAGE_BATCH = 1000;

export const previewCatalogImportSchema = z.object({
  fileName: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  content: z.instanceof(Uint8Array, { message: "must be the file's bytes" }).refine((c) => c.byteLength <= MAX_IMPORT_BYTES, { message: `must be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB` }),
});

/**
 * Step one of a CSV import: reads the file row by row, checks every row, and keeps the result
 * (the values, or the errors by column) for the preview. Changes no product. The rows go in
 * batches of 1,000 as they are parsed, so memory holds the file's bytes and one batch.
 */
export const previewCatalogImportCommand = defineCommand({
  name: "catalog.import.previewed",
  description: "The supplier uploaded a catalog CSV: every row was checked and kept for the preview; no product changed yet (file name, SHA-256, row and error counts in the metadata).",
  access: { permission: "catalog:manage" },
  input: previewCatalogImportSchema,
  async run({ tx, principal }, input) {
    const supplier = await assertSupplierStaff(tx, principal, "catalog:manage");
    const sha256 = createHash("sha256").update(input.content).digest("hex");
    const [created] = await tx.insert(catalogImports).values({ orgId: supplier.id, createdBy: actorUserId(principal.actor), fileName: input.fileName, contentSha256: sha256 }).returning({ id: catalogImports.id });
    const importId = created!.id;
    let totalRows = 0;
    let errorRows = 0;
    let batch: ParsedRow[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await tx.insert(catalogImportRows).values(batch.map((r) => ({ importId, orgId: supplier.id, rowNo: r.rowNo, sku: r.sku, data: r.data as Record<string, unknown> | null, errors: r.errors })));
      batch = [];
    };
    let header: CatalogCsvHeader = { columns: [], currencies: [], index: new Map() };
    const rows = parseCatalogCsv(input.content, (h) => (header = h));
    for await (const row of rows) {
      totalRows += 1;
      if (row.errors) errorRows += 1;
      batch.push(row);
      if (batch.length >= STAGE_BATCH) await flush();
    }
    await flush();
    await tx.update(catalogImports).set({ totalRows, errorRows, currencies: header.currencies, columns: header.columns }).where(eq(catalogImports.id, importId));
    return {
      result: { id: importId, totalRows, errorRows },
      target: { type: "catalog_import", id: importId },
      metadata: { fileName: input.fileName, sha256, bytes: input.content.byteLength, totalRows, errorRows, columns: header.columns, currencies: header.currencies },
    };
  },
});
