import { parse } from "csv-parse/sync";
import type { CanonicalOrder, OrderLine } from "./canonical-order";
import { buildDocument, fail, guardMessage, issue, readText, type Envelope, type ParseResult } from "./parse-result";
import { compact, optionalText, quote, readDate, readDecimal, readQuantity } from "./read-values";

// CSV with a column mapping: each canonical field names the header of its column. Rows are grouped by the
// PO number column, in the order the POs first appear: one document per PO. A header field (currency,
// dates, ship-to) is read from the PO's first row; a later row of the same PO that disagrees is an error,
// never a silent pick.

export type CsvMapping = {
  documentNumber: string; quantity: string;
  lineNumber?: string; vendorPartNumber?: string; buyerPartNumber?: string; gtin?: string; description?: string;
  unitOfMeasure?: string; unitPrice?: string; currency?: string; orderDate?: string; requestedDeliveryDate?: string;
  buyerName?: string; shipToName?: string; shipToLine1?: string; shipToCity?: string; shipToPostalCode?: string; shipToCountry?: string;
  notes?: string;
};
export type CsvOptions = { mapping: CsvMapping; delimiter?: string; decimalComma?: boolean; maxBytes?: number };

const HEADER_FIELDS = ["currency", "orderDate", "buyerName", "shipToName", "shipToLine1", "shipToCity", "shipToPostalCode", "shipToCountry"] as const;
const MAX_ROWS = 100_000;

type Row = { number: number; cells: Record<string, string> };

export function parseCsv(bytes: Buffer | string, options: CsvOptions): ParseResult {
  return guardMessage(() => {
    const text = readText(bytes, options.maxBytes);
    if (typeof text !== "string") return { ok: false, error: text };
    const records = readRecords(text, options.delimiter ?? ",");
    const [header = [], ...body] = records;
    const columns = new Map(header.map((name, i) => [name.trim(), i]));
    for (const [field, column] of Object.entries(options.mapping)) {
      if (column !== undefined && !columns.has(column)) fail("missing", "row 1", `the mapping's column ${quote(column)} for ${field} is not in the header`);
    }
    if (body.length > MAX_ROWS) fail("too-large", `row ${MAX_ROWS + 2}`, `at most ${MAX_ROWS} rows per file`);
    const groups = new Map<string, Row[]>();
    const rowErrors: ParseResult[] = [];
    body.forEach((record, i) => {
      const cells = Object.fromEntries(Object.entries(options.mapping).map(([field, column]) => [field, record[columns.get(column!)!] ?? ""]));
      const po = optionalText(cells.documentNumber);
      if (!po) { rowErrors.push({ ok: false, error: issue("missing", `row ${i + 2}, column ${quote(options.mapping.documentNumber)}`, "the PO number is empty") }); return; }
      const rows = groups.get(po) ?? [];
      rows.push({ number: i + 2, cells });
      groups.set(po, rows);
    });
    if (rowErrors[0] && !rowErrors[0].ok) return rowErrors[0];
    if (groups.size === 0) fail("empty", "row 2", "the file has a header but no rows");
    const envelope: Envelope = { format: "csv", senders: [], receivers: [], controlNumbers: {}, flags: [] };
    const documents = [...groups.entries()].map(([po, rows], index) => buildDocument(index, "", () => mapRows(po, rows, options)));
    return { ok: true, documents, envelope };
  });
}

function readRecords(text: string, delimiter: string): string[][] {
  try {
    return parse(text, { delimiter, bom: true, skip_empty_lines: true, relax_quotes: false, max_record_size: 64 * 1024 }) as string[][];
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    const reason = (error as { code?: string }).code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH"
      ? "this row has a different number of columns than the header"
      : "the CSV is not well-formed (check quotes and delimiters)";
    return fail("syntax", lines ? `row ${lines}` : "row 1", reason);
  }
}

function mapRows(po: string, rows: Row[], options: CsvOptions): CanonicalOrder {
  const { mapping } = options;
  const where = (row: Row, field: keyof CsvMapping) => `row ${row.number}, column ${quote(mapping[field] ?? field)}`;
  const first = rows[0]!;
  for (const row of rows.slice(1)) {
    for (const field of HEADER_FIELDS) {
      if (mapping[field] && (row.cells[field] ?? "").trim() !== (first.cells[field] ?? "").trim()) {
        fail("invalid-value", where(row, field), `${quote(row.cells[field] ?? "")} differs from ${quote(first.cells[field] ?? "")} on row ${first.number} of the same PO`);
      }
    }
  }
  const value = (row: Row, field: keyof CsvMapping) => optionalText(row.cells[field]);
  const shipToAddress = compact({
    lines: [value(first, "shipToLine1")].filter((s): s is string => Boolean(s)),
    city: value(first, "shipToCity"), postalCode: value(first, "shipToPostalCode"), country: value(first, "shipToCountry"),
  });
  const hasShipTo = value(first, "shipToName") || shipToAddress.lines.length || shipToAddress.city;
  const orderDate = value(first, "orderDate");
  return compact({
    documentNumber: po, kind: "original" as const, senders: [],
    buyer: value(first, "buyerName") ? { name: value(first, "buyerName"), identifiers: [] } : undefined,
    shipTo: hasShipTo ? compact({ name: value(first, "shipToName"), identifiers: [], address: shipToAddress }) : undefined,
    orderDate: orderDate ? readDate(orderDate, where(first, "orderDate"), "order date") : undefined,
    currency: value(first, "currency")?.toUpperCase(),
    lines: rows.map((row, i) => readRow(row, i, options, where)),
    claims: {},
    notes: rows.map((row) => value(row, "notes")).filter((n): n is string => Boolean(n)),
  });
}

function readRow(row: Row, index: number, options: CsvOptions, where: (row: Row, field: keyof CsvMapping) => string): OrderLine {
  const value = (field: keyof CsvMapping) => optionalText(row.cells[field]);
  const comma = options.decimalComma === true;
  const price = value("unitPrice");
  const delivery = value("requestedDeliveryDate");
  const date = delivery ? readDate(delivery, where(row, "requestedDeliveryDate"), "requested delivery date") : undefined;
  return compact({
    lineNumber: value("lineNumber") ?? String(index + 1),
    vendorPartNumber: value("vendorPartNumber"), buyerPartNumber: value("buyerPartNumber"), gtin: value("gtin"),
    description: value("description"),
    quantity: readQuantity(row.cells.quantity ?? "", where(row, "quantity"), { comma }),
    unitOfMeasure: value("unitOfMeasure"),
    unitPrice: price ? readDecimal(price, where(row, "unitPrice"), "unit price", { comma }) : undefined,
    requestedDelivery: date ? { earliest: date, latest: date } : undefined,
  });
}
