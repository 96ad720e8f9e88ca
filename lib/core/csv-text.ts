import type { CsvError } from "csv-parse";

/* How the CSV imports (catalog, members) quote a cell and name a broken file in their errors. */

/** "\"12,5\" is not an amount", or the bare reason for an empty cell. */
export function quoteReason(raw: string, reason: string): string {
  return raw.trim() === "" ? reason : `"${clip(raw)}" ${reason}`;
}

/** A cell as an error shows it: control characters masked, at most 40 characters. */
export function clip(text: string): string {
  const printable = text.replace(/[\u0000-\u001f\u007f]/g, "?");
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/** A parse failure of the whole file, by line, in words a person can act on. */
export function describeCsvError(error: CsvError): string {
  const line = (error as CsvError & { lines?: number }).lines;
  const where = line ? `line ${line}: ` : "";
  if (error.code === "CSV_QUOTE_NOT_CLOSED") return `${where}a quoted cell is never closed (a " is missing)`;
  if (error.code === "CSV_MAX_RECORD_SIZE") return `${where}a row is longer than 64 KiB`;
  if (error.code === "CSV_INVALID_CLOSING_QUOTE" || error.code === "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE") return `${where}a quote inside a cell must be doubled ("")`;
  return `${where}is not valid CSV (${error.code})`;
}
