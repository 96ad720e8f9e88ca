import type { Executor, Tx } from "@/db/client";
import { listSupplierOrders } from "@/lib/accounts/list-supplier-orders";
import { formatAmount } from "@/lib/accounts/money";
import { toCsvRecord } from "@/lib/audit/encode-control-chars";
import type { OrgRef, Principal } from "@/lib/core/context";
import type { AccountOrderExportFilters, OrderExportFilters } from "./export-schemas";
import { listOrders } from "./list-orders";

/** Rows per batch: each batch is one keyset page, so the millionth row costs what the first does. */
export const ORDER_EXPORT_BATCH = 500;

export const ORDER_CSV_COLUMNS = ["number", "placed_at", "status", "branch", "buyer", "currency", "total"] as const;
export const ACCOUNT_ORDER_CSV_COLUMNS = ["number", "placed_at", "status", "account", "branch", "buyer", "currency", "total"] as const;

type Read = <T>(fn: (tx: Executor) => Promise<T>) => Promise<T>;
type ReadSupplier = <T>(fn: (tx: Tx, supplier: OrgRef) => Promise<T>) => Promise<T>;

/**
 * A cell as text a spreadsheet shows and never runs: toCsvField escapes control characters and
 * prefixes a cell starting with = + - @; one starting with a tab or CR (which some spreadsheets
 * also read as a formula lead-in) is prefixed here before that escaping.
 */
function cell(value: string): string {
  return /^[\t\r]/.test(value) ? `'${value}` : value;
}

/** The organization's own filtered order list as CSV, batch by batch, scoped exactly as the list. */
export async function* exportOrdersCsv(principal: Principal, filters: OrderExportFilters, read: Read): AsyncGenerator<string> {
  yield toCsvRecord([...ORDER_CSV_COLUMNS]);
  let cursor: string | undefined;
  do {
    const page = await read((tx) => listOrders(tx, principal, { ...filters, cursor, before: undefined, limit: ORDER_EXPORT_BATCH }));
    if (page.data.length > 0) {
      yield page.data.map((o) => toCsvRecord([cell(o.number), o.placedAt, o.status, cell(o.branchName), cell(o.buyerName), o.currency, formatAmount(o.totalMinor, o.currency)])).join("");
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The supplier's orders across accounts as CSV, each batch read in the supplier scope. */
export async function* exportAccountOrdersCsv(filters: AccountOrderExportFilters, readSupplier: ReadSupplier): AsyncGenerator<string> {
  yield toCsvRecord([...ACCOUNT_ORDER_CSV_COLUMNS]);
  let cursor: string | undefined;
  do {
    const page = await readSupplier((tx, supplier) => listSupplierOrders(tx, supplier, { ...filters, cursor, before: undefined, limit: ORDER_EXPORT_BATCH }));
    if (page.data.length > 0) {
      yield page.data
        .map((o) => toCsvRecord([cell(o.number), o.placedAt, o.status, cell(o.accountName), cell(o.branchName), cell(o.buyerName), o.currency, formatAmount(o.totalMinor, o.currency)]))
        .join("");
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}
