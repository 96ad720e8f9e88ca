import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, productPrices, products } from "@/db/schema";
import { applyCatalogImportBatchCommand, type ImportProgress } from "@/lib/catalog/import/apply-catalog-import-batch";
import { describeRowError } from "@/lib/catalog/import/parse-catalog-csv";
import { previewCatalogImportCommand } from "@/lib/catalog/import/preview-catalog-import";
import { getCatalogImport, listCatalogImportErrors } from "@/lib/catalog/import/read-catalog-imports";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { resolveCatalogViewer } from "@/lib/catalog/catalog-viewer";
import { listCatalog } from "@/lib/catalog/list-products";
import { productListQuerySchema } from "@/lib/catalog/schemas";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta, unique } from "../support/factories";
import { makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

const csv = (...lines: string[]) => new TextEncoder().encode(lines.join("\n") + "\n");

async function preview(principal: Principal, content: Uint8Array, fileName = "catalog.csv") {
  return runCommand(previewCatalogImportCommand, principal, meta, { fileName, content });
}

async function applyAll(principal: Principal, importId: string): Promise<ImportProgress[]> {
  const steps: ImportProgress[] = [];
  for (let i = 0; i < 500; i++) {
    const step = await runCommand(applyCatalogImportBatchCommand, principal, meta, { importId });
    steps.push(step);
    if (step.done) break;
  }
  return steps;
}

async function errorsOf(principal: Principal, importId: string) {
  const s = await makeSupplier();
  const page = await readAs(principal, (tx) => listCatalogImportErrors(tx, s.id, importId, { limit: 1000 }));
  return page.rows.flatMap((r) => r.errors.map((e) => describeRowError(r.rowNo, e)));
}

describe("catalog CSV import: preview", () => {
  it("checks every row and names the row, the column and the reason; nothing changes until it is applied", async () => {
    const manager = await makeSupplierStaff("Catalog manager");
    const p = unique("P").toUpperCase();
    const file = csv(
      "sku,name,description,category,unit,active,price_usd,price_eur",
      `${p}-1,Hex bolt,"Zinc, box of 100",Fasteners,box,yes,18.99,17.50`,
      `${p}-2,Nut,,Fasteners,,true,"12,5",`,
      `${p} 3,Washer,,,,no,1,1`,
      `${p}-1,Duplicate,,,,,1,1`,
      `${p}-5,,,,,maybe,1.234,-2`,
      `${p}-6,Short row`,
    );
    const result = await preview(manager.principal, file);
    expect(result).toMatchObject({ totalRows: 6, errorRows: 5 });
    expect(await errorsOf(manager.principal, result.id)).toEqual([
      'row 3, column price_usd: "12,5" is not an amount (write it like 1234.50, with a dot and no thousands separator)',
      `row 4, column sku: "${p} 3" may contain letters, digits and . _ / - only, starting with a letter or digit`,
      `row 5, column sku: "${p}-1" is already on row 2`,
      "row 6, column name: is required",
      'row 6, column active: "maybe" is not yes or no (use true/false, yes/no or 1/0)',
      'row 6, column price_usd: "1.234" has more decimals than USD allows (2)',
      'row 6, column price_eur: "-2" is not an amount (write it like 1234.50, with a dot and no thousands separator)',
      "row 7, column (row): has 2 cells but the header has 8",
    ]);
    const s = await makeSupplier();
    const summary = await readAs(manager.principal, (tx) => getCatalogImport(tx, s.id, result.id));
    expect(summary).toMatchObject({ status: "ready", validRows: 1, currencies: ["USD", "EUR"], columns: ["description", "category", "unit", "active"], preview: { newSkus: 1, existingSkus: 0 } });
    expect(await asOperator((tx) => tx.select().from(products).where(eq(products.sku, `${p}-1`)))).toEqual([]);
  });

  it("refuses a file it cannot read as a whole, on `file`: no header, unknown or repeated columns, broken quoting, a missing sku column", async () => {
    const s = await makeSupplier();
    const fileErrors = async (content: Uint8Array) => {
      const error = await preview(s.operator, content).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).fieldErrors;
    };
    expect(await fileErrors(csv(""))).toEqual({ file: [expect.stringContaining("is empty")] });
    expect(await fileErrors(csv("sku,name,colour,price_xyz,name"))).toEqual({
      file: [expect.stringContaining('column "colour" is not one this import knows'), 'column "price_xyz": XYZ is not an ISO 4217 currency', 'column "name" appears twice in the header'],
    });
    expect(await fileErrors(csv("name,price_usd", "Bolt,1"))).toEqual({ file: ['the header has no "sku" column'] });
    expect(await fileErrors(csv("sku,name", 'A-1,"never closed'))).toEqual({ file: [expect.stringContaining("a quoted cell is never closed")] });
  });

  it("NUL bytes, control characters and bytes that are not UTF-8 are row errors, not crashes", async () => {
    const s = await makeSupplier();
    const p = unique("N").toUpperCase();
    const bytes = new Uint8Array([...csv("sku,name", `${p}-1,Bolt\u0000`), ...new TextEncoder().encode(`${p}-2,Caf`), 0xe9, 0x0a]);
    const result = await preview(s.operator, bytes);
    expect(await errorsOf(s.operator, result.id)).toEqual([
      "row 2, column name: \"Bolt?\" must not contain control characters such as NUL",
      "row 3, column name: holds bytes that are not UTF-8 text (save the file as CSV UTF-8)",
    ]);
  });

  it("too little permission and the supplier-only rule: a supplier Viewer, and a customer's Admin, cannot import", async () => {
    const viewer = await makeSupplierStaff("Viewer");
    await expect(preview(viewer.principal, csv("sku,name", "A-1,B"))).rejects.toBeInstanceOf(ForbiddenError);
    const org = await makeOrg("Importer wannabe");
    await openAccount(org.id);
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    await expect(preview(admin.principal, csv("sku,name", "A-1,B"))).rejects.toBeInstanceOf(ForbiddenError);
    const s = await makeSupplier();
    const own = await preview(s.operator, csv("sku,name", `${unique("Z")},B`));
    await expect(runCommand(applyCatalogImportBatchCommand, viewer.principal, meta, { importId: own.id })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("catalog CSV import: apply", () => {
  it("creates and updates products from the valid rows, skips rows with errors, and applying the same file again changes nothing", async () => {
    const manager = await makeSupplierStaff("Operations");
    const p = unique("A").toUpperCase();
    const first = await preview(manager.principal, csv("sku,name,category,price_usd,price_eur", `${p}-1,Bolt,Fasteners,1.00,0.90`, `${p}-2,Nut,Fasteners,0.50,`, `${p}-3,Broken,,x,`));
    const applied = await applyAll(manager.principal, first.id);
    expect(applied.at(-1)).toMatchObject({ done: true, validRows: 2, appliedRows: 2, created: 2, updated: 0, unchanged: 0 });
    const s = await makeSupplier();
    const rows = await asOperator((tx) => tx.select({ sku: products.sku, category: products.category, id: products.id }).from(products).where(and(eq(products.orgId, s.id))));
    const nut = rows.find((r) => r.sku === `${p}-2`)!;
    expect(await asOperator((tx) => tx.select({ currency: productPrices.currency, v: productPrices.unitPriceMinor }).from(productPrices).where(eq(productPrices.productId, nut.id)))).toEqual([{ currency: "USD", v: 50 }]);
    expect(rows.some((r) => r.sku === `${p}-3`)).toBe(false);

    // The same bytes again: every row unchanged, no product written.
    const again = await preview(manager.principal, csv("sku,name,category,price_usd,price_eur", `${p}-1,Bolt,Fasteners,1.00,0.90`, `${p}-2,Nut,Fasteners,0.50,`, `${p}-3,Broken,,x,`));
    expect((await readAs(manager.principal, (tx) => getCatalogImport(tx, s.id, again.id)))?.preview).toEqual({ newSkus: 0, existingSkus: 2 });
    expect((await applyAll(manager.principal, again.id)).at(-1)).toMatchObject({ done: true, created: 0, updated: 0, unchanged: 2 });
    // Applying a finished import again is a no-op too.
    expect(await runCommand(applyCatalogImportBatchCommand, manager.principal, meta, { importId: again.id })).toMatchObject({ done: true, appliedRows: 2, unchanged: 2 });

    // A changed price, a removed one (empty cell) and a column the file lacks (category: kept).
    const third = await preview(manager.principal, csv("sku,name,price_usd,price_eur", `${p}-1,Bolt,1.10,`, `${p}-2,Nut,0.50,`));
    expect((await applyAll(manager.principal, third.id)).at(-1)).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const bolt = rows.find((r) => r.sku === `${p}-1`)!;
    expect(await asOperator((tx) => tx.select({ currency: productPrices.currency, v: productPrices.unitPriceMinor }).from(productPrices).where(eq(productPrices.productId, bolt.id)))).toEqual([{ currency: "USD", v: 110 }]);
    expect((await asOperator((tx) => tx.select({ category: products.category }).from(products).where(eq(products.id, bolt.id))))[0]!.category).toBe("Fasteners");

    const events = await asOperator((tx) => tx.select({ metadata: auditEvents.metadata }).from(auditEvents).where(and(eq(auditEvents.action, "catalog.import.batch.applied"), eq(auditEvents.targetId, third.id))));
    expect(events[0]!.metadata).toMatchObject({ updatedSkus: [`${p}-1`], createdSkus: [], unchanged: 1 });
  });

  it("a large file: 100,000 rows preview and apply in batches of 1,000 with progress, then search them", { timeout: 600_000 }, async () => {
    const s = await makeSupplier();
    const p = unique("L").toUpperCase();
    const lines = ["sku,name,category,unit,price_usd"];
    for (let i = 0; i < 100_000; i++) lines.push(`${p}-${i},Item ${i} steel,Category ${i % 40},each,${(i % 5000) + 1}.99`);
    const result = await preview(s.operator, csv(...lines));
    expect(result).toMatchObject({ totalRows: 100_000, errorRows: 0 });
    const steps = await applyAll(s.operator, result.id);
    expect(steps).toHaveLength(100);
    expect(steps.map((x) => x.appliedRows)).toEqual(Array.from({ length: 100 }, (_, i) => (i + 1) * 1000));
    expect(steps.at(-1)).toMatchObject({ done: true, created: 100_000 });

    // Searching 100,000 products: a term in every name (walks the name order), a rare one (the
    // trigram index's few ids), and a two-letter prefix; each page in name order, as browsing is.
    const staff = await makeSupplierStaff("Viewer");
    const search = (q: string) => readAs(staff.principal, async (tx) => listCatalog(tx, await resolveCatalogViewer(tx, staff.principal), productListQuerySchema.parse({ q, limit: 5, category: "Category 7" })));
    const common = await search("steel");
    expect(common.data).toHaveLength(5);
    const expected = await asOperator((tx) => tx.execute<{ sku: string }>(sql`select sku from products where org_id = ${s.id} and category = 'Category 7' and search_text like '%steel%' order by name_key, id limit 5`));
    expect(common.data.map((x) => x.sku)).toEqual(expected.map((r) => r.sku));
    expect((await search(`${p.toLowerCase()}-99967`)).data.map((x) => x.sku)).toEqual([`${p}-99967`]);
    expect((await search("it")).data).toHaveLength(5);
  });
});
