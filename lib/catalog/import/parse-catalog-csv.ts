import { Readable } from "node:stream";
import { parse, CsvError } from "csv-parse";
import { clip, describeCsvError, quoteReason } from "@/lib/core/csv-text";
import { currencyCodeSchema } from "@/lib/accounts/schemas";
import { parseAmount } from "@/lib/accounts/money";
import { ValidationError } from "@/lib/core/errors";
import { productFieldsSchema, skuSchema } from "../schemas";

/** Columns a catalog CSV may have; `price_<currency>` columns (price_usd) come on top. */
export const OPTIONAL_COLUMNS = ["description", "category", "unit", "active"] as const;
export type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];
export const MAX_IMPORT_ROWS = 200_000;
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/** One checked row: what the product should become, with the fields the file has. */
export interface ImportRowData {
  sku: string;
  name: string;
  description?: string;
  category?: string;
  unit?: string;
  active?: boolean;
  /** Currency to minor units, or null for an empty cell (no list price in that currency). */
  prices: Record<string, number | null>;
}

export interface ParsedRow {
  /** As a spreadsheet numbers it: the header is row 1. */
  rowNo: number;
  sku: string | null;
  data: ImportRowData | null;
  errors: Array<{ column: string; message: string }> | null;
}

export interface CatalogCsvHeader {
  columns: OptionalColumn[];
  currencies: string[];
  /** Cell index of each field. */
  index: Map<string, number>;
}

/** "row 12, column price_usd: "12,5" is not an amount": how every row error reads. */
export function describeRowError(rowNo: number, error: { column: string; message: string }): string {
  return `row ${rowNo}, column ${error.column}: ${error.message}`;
}

/**
 * Reads a catalog CSV as a stream of checked rows, one at a time, so a 100,000-row file never
 * sits in memory as objects. The header must name `sku` and `name`; it may add description,
 * category, unit, active and price_<currency> columns. A problem with the file as a whole (no
 * header, an unknown column, broken quoting, too many rows) is a ValidationError on `file`; a
 * problem with a row is reported on that row, by column, and the other rows still count.
 */
export async function* parseCatalogCsv(content: Uint8Array, onHeader: (header: CatalogCsvHeader) => void = () => {}): AsyncGenerator<ParsedRow, void, undefined> {
  const parser = Readable.from([Buffer.from(content)]).pipe(
    parse({ bom: true, skip_empty_lines: true, relax_column_count: true, max_record_size: 64 * 1024, trim: false }),
  );
  let header: CatalogCsvHeader | null = null;
  let width = 0;
  let rowNo = 1;
  const seen = new Map<string, number>();
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = readHeader(record);
        width = record.length;
        onHeader(header);
        continue;
      }
      rowNo += 1;
      if (rowNo - 1 > MAX_IMPORT_ROWS) throw new ValidationError({ file: [`has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} rows; split it into smaller files`] });
      yield checkRow(rowNo, record, width, header, seen);
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ValidationError({ file: [describeCsvError(error)] });
    throw error;
  }
  if (!header) throw new ValidationError({ file: ["is empty: the first line must be a header such as sku,name,price_usd"] });
}

function readHeader(record: string[]): CatalogCsvHeader {
  const problems: string[] = [];
  const index = new Map<string, number>();
  const columns: OptionalColumn[] = [];
  const currencies: string[] = [];
  record.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (index.has(name)) return problems.push(`column "${clip(raw)}" appears twice in the header`);
    const price = /^price_([a-z]{3})$/.exec(name);
    if (name === "sku" || name === "name") index.set(name, i);
    else if ((OPTIONAL_COLUMNS as readonly string[]).includes(name)) {
      index.set(name, i);
      columns.push(name as OptionalColumn);
    } else if (price && currencyCodeSchema.safeParse(price[1]!.toUpperCase()).success) {
      index.set(name, i);
      currencies.push(price[1]!.toUpperCase());
    } else if (price) problems.push(`column "${clip(raw)}": ${price[1]!.toUpperCase()} is not an ISO 4217 currency`);
    else problems.push(`column "${clip(raw)}" is not one this import knows (sku, name, ${OPTIONAL_COLUMNS.join(", ")}, price_<currency> such as price_usd)`);
  });
  for (const required of ["sku", "name"]) if (!index.has(required)) problems.push(`the header has no "${required}" column`);
  if (problems.length) throw new ValidationError({ file: problems });
  return { columns, currencies, index };
}

function checkRow(rowNo: number, record: string[], width: number, header: CatalogCsvHeader, seen: Map<string, number>): ParsedRow {
  const errors: Array<{ column: string; message: string }> = [];
  const cell = (name: string) => {
    const i = header.index.get(name);
    return i === undefined ? undefined : (record[i] ?? "");
  };
  if (record.length !== width) errors.push({ column: "(row)", message: `has ${record.length} cells but the header has ${width}` });
  for (const [name, i] of header.index) if ((record[i] ?? "").includes("\ufffd")) errors.push({ column: name, message: "holds bytes that are not UTF-8 text (save the file as CSV UTF-8)" });

  const skuText = (cell("sku") ?? "").trim();
  const sku = skuSchema.safeParse(skuText);
  if (!sku.success) errors.push({ column: "sku", message: quoteReason(skuText, sku.error.issues[0]!.message) });
  else {
    const key = sku.data.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) errors.push({ column: "sku", message: `"${clip(sku.data)}" is already on row ${first}` });
    else seen.set(key, rowNo);
  }
  const field = <K extends "name" | "description" | "category" | "unit">(name: K) => {
    const raw = cell(name);
    if (raw === undefined) return undefined;
    const value = name === "unit" && raw.trim() === "" ? "each" : raw;
    const parsed = productFieldsSchema.shape[name].safeParse(value);
    if (!parsed.success) errors.push({ column: name, message: quoteReason(raw, parsed.error.issues[0]!.message) });
    return parsed.success ? (parsed.data as string) : undefined;
  };
  const name = field("name");
  const description = field("description");
  const category = field("category");
  const unit = field("unit");
  let active: boolean | undefined;
  const activeText = cell("active");
  if (activeText !== undefined) {
    const v = activeText.trim().toLowerCase();
    if (v === "" || ["true", "yes", "y", "1"].includes(v)) active = true;
    else if (["false", "no", "n", "0"].includes(v)) active = false;
    else errors.push({ column: "active", message: `"${clip(activeText)}" is not yes or no (use true/false, yes/no or 1/0)` });
  }
  const prices: Record<string, number | null> = {};
  for (const currency of header.currencies) {
    const column = `price_${currency.toLowerCase()}`;
    const raw = (cell(column) ?? "").trim();
    if (raw === "") {
      prices[currency] = null;
      continue;
    }
    const amount = parseAmount(raw, currency);
    if (amount.ok) prices[currency] = amount.minor;
    else errors.push({ column, message: amount.reason });
  }
  if (errors.length) return { rowNo, sku: sku.success ? sku.data : skuText.slice(0, 64) || null, data: null, errors };
  const data: ImportRowData = { sku: sku.data!, name: name!, prices };
  if (description !== undefined) data.description = description;
  if (category !== undefined) data.category = category;
  if (unit !== undefined) data.unit = unit;
  if (active !== undefined) data.active = active;
  return { rowNo, sku: sku.data!, data, errors: null };
}
