import { readFile, stat } from "node:fs/promises";
import { ValidationError } from "@/lib/core/errors";
import { defineCliCommand, listFlag, requiredFlag, stringFlag } from "./define-cli-command";

export const createSupplierCli = defineCliCommand({
  words: ["supplier", "create"],
  summary: "Create the installation's supplier organization (there is exactly one)",
  options: [
    { flag: "name", value: "name", description: "Display name, e.g. \"Northwind Supply\"", required: true, field: "name" },
    { flag: "slug", value: "slug", description: "Short unique id: lowercase letters, digits, inner hyphens", required: true, field: "slug" },
  ],
  details: ["Its starter roles are the supplier's: Viewer, Account manager, Catalog manager, Operations, Admin. Every other organization is one of its customer accounts."],
  examples: ['supplier create --name "Northwind Supply" --slug northwind'],
  async run({ flags, db }) {
    const { createSupplierCommand, runCommand, supplierRoleTemplates, systemMeta, systemPrincipal } = await import("./app-modules");
    const input = { name: requiredFlag(flags, "name"), slug: requiredFlag(flags, "slug") };
    const org = await runCommand(createSupplierCommand, systemPrincipal("cli"), systemMeta("cli"), input, db);
    return {
      human: [`Created the supplier "${org.name}" (slug ${org.slug}, id ${org.id}).`, `Starter roles: ${supplierRoleTemplates.map((r) => r.name).join(", ")}.`],
      json: { id: org.id, slug: org.slug, name: org.name, kind: org.kind, createdAt: org.createdAt },
    };
  },
});

export const openAccountCli = defineCliCommand({
  words: ["account", "open"],
  summary: "Open a customer organization's account with the supplier",
  options: [
    { flag: "org", value: "slug", description: "The customer organization", required: true },
    { flag: "currency", value: "code", description: "Base currency (ISO 4217), e.g. USD", required: true, field: "baseCurrency" },
    { flag: "also", value: "CODE=rate", description: "Another currency and its rate to the base, e.g. EUR=1.08 (repeatable)", multiple: true, field: "currencies" },
    { flag: "tier", value: "tier", description: "Tier (default Standard)", field: "tier" },
    { flag: "credit-limit", value: "amount", description: "Credit limit in the base currency, e.g. 50000.00 (default: none)", field: "creditLimitMinor" },
  ],
  examples: ["account open --org acme --currency USD --also CAD=0.73 --also EUR=1.08 --tier Gold --credit-limit 250000"],
  async run({ flags, db }) {
    const { findSupplier, openAccountCommand, parseAmount, resolveOrg, runCommand, systemMeta, systemPrincipal } = await import("./app-modules");
    const supplier = await findSupplier(db);
    if (!supplier) throw new ValidationError({ org: ["there is no supplier yet: run `supplier create` first"] });
    const org = await resolveOrg(db, requiredFlag(flags, "org"));
    const baseCurrency = requiredFlag(flags, "currency").trim();
    const currencies = (listFlag(flags, "also") ?? []).map((pair, i) => {
      const [currency = "", rateToBase = ""] = pair.split("=");
      if (!rateToBase) throw new ValidationError({ [`currencies.${i}`]: [`"${pair}" must look like EUR=1.08`] });
      return { currency: currency.trim(), rateToBase: rateToBase.trim() };
    });
    const limitText = stringFlag(flags, "credit-limit");
    let creditLimitMinor: number | null = null;
    if (limitText !== undefined) {
      const amount = parseAmount(limitText, baseCurrency);
      if (!amount.ok) throw new ValidationError({ creditLimitMinor: [amount.reason] });
      creditLimitMinor = amount.minor;
    }
    const input = { orgId: org.id, baseCurrency, currencies, tier: stringFlag(flags, "tier"), creditLimitMinor };
    const account = await runCommand(openAccountCommand, systemPrincipal("cli", supplier), systemMeta("cli"), input, db).catch((error: unknown) => {
      // "currencies.0.rateToBase" is the first --also: name the flag, and which one.
      if (!(error instanceof ValidationError)) throw error;
      const fields: Record<string, string[]> = {};
      for (const [field, reasons] of Object.entries(error.fieldErrors)) {
        const also = /^currencies\.(\d+)/.exec(field);
        (fields[also ? "currencies" : field] ??= []).push(...reasons.map((r) => (also ? `${currencies[Number(also[1])]?.currency ?? "?"}: ${r}` : r)));
      }
      throw new ValidationError(fields);
    });
    const list = [baseCurrency, ...currencies.map((c) => `${c.currency} at ${c.rateToBase}`)].join(", ");
    return {
      human: [`Opened an account for "${account.name}" with ${supplier.name}: ${list}.`],
      json: { id: account.id, supplierId: supplier.id, baseCurrency, currencies, tier: input.tier ?? "Standard", creditLimitMinor },
    };
  },
});

export const importCatalogCli = defineCliCommand({
  words: ["catalog", "import"],
  summary: "Check a catalog CSV file and, with --apply, load it into the supplier's catalog",
  options: [
    { flag: "file", value: "path", description: "The CSV file (UTF-8; header sku,name[,description,category,unit,active][,price_usd,...])", required: true, field: "file" },
    { flag: "apply", description: "Apply the checked rows (rows with errors are skipped); without it, only the preview" },
  ],
  details: [
    "A column the file lacks leaves that field of existing products as it is; an empty price cell removes that list price.",
    "Applying is idempotent: the same file applied again changes nothing. Up to 200,000 rows and 32 MiB.",
  ],
  examples: ["catalog import --file catalog.csv", "catalog import --file catalog.csv --apply --json"],
  async run({ flags, db, log }) {
    const { applyCatalogImportBatchCommand, describeRowError, findSupplier, listCatalogImportErrors, MAX_IMPORT_BYTES, previewCatalogImportCommand, runCommand, systemMeta, systemPrincipal, withTenantScope } = await import("./app-modules");
    const supplier = await findSupplier(db);
    if (!supplier) throw new ValidationError({ file: ["there is no supplier yet: run `supplier create` first"] });
    const file = requiredFlag(flags, "file");
    const size = await stat(file).then((s) => s.size, () => -1);
    if (size < 0) throw new ValidationError({ file: [`cannot read ${file}`] });
    if (size > MAX_IMPORT_BYTES) throw new ValidationError({ file: [`is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`] });
    const operator = systemPrincipal("cli", supplier);
    const meta = systemMeta("cli");
    const preview = await runCommand(previewCatalogImportCommand, operator, meta, { fileName: file.split("/").pop() ?? file, content: new Uint8Array(await readFile(file)) }, db);
    const errors = await withTenantScope({ orgId: supplier.id, userId: null, bypass: true }, (tx) => listCatalogImportErrors(tx, supplier.id, preview.id, { limit: 50 }), db);
    const errorLines = errors.rows.flatMap((r) => r.errors.map((e) => describeRowError(r.rowNo, e)));
    const human = [`Checked ${preview.totalRows} rows: ${preview.totalRows - preview.errorRows} valid, ${preview.errorRows} with errors (import ${preview.id}).`, ...errorLines.map((l) => `  ${l}`)];
    if (errors.nextAfterRow) human.push("  (first 50 rows with errors shown)");
    if (!flags.apply) return { human: [...human, "Nothing changed: run again with --apply to load the valid rows."], json: { importId: preview.id, totalRows: preview.totalRows, errorRows: preview.errorRows, errors: errorLines, applied: false } };
    let progress = await runCommand(applyCatalogImportBatchCommand, operator, meta, { importId: preview.id }, db);
    while (!progress.done) {
      log(`  applied ${progress.appliedRows}/${progress.validRows} rows`);
      progress = await runCommand(applyCatalogImportBatchCommand, operator, meta, { importId: preview.id }, db);
    }
    return {
      human: [...human, `Applied ${progress.appliedRows} rows: ${progress.created} created, ${progress.updated} updated, ${progress.unchanged} unchanged.`],
      json: { importId: preview.id, totalRows: preview.totalRows, errorRows: preview.errorRows, errors: errorLines, applied: true, created: progress.created, updated: progress.updated, unchanged: progress.unchanged },
    };
  },
});
