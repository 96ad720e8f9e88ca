import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { NotFoundError } from "@/lib/core/errors";
import { branches, invoices, orders } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { cursorInstant, decodeCursor, encodeCursor } from "@/lib/core/cursor";
import { visibleInvoicesCondition } from "./invoice-scope";
import type { Invoice, InvoicePage, InvoicesQuery } from "./schemas";

/**
 * The invoices of the branches where the caller holds invoices:read, newest first, in keyset
 * pages over (issued_at, id): a page is one index range whatever the table's size.
 */
export async function listInvoices(db: Executor, principal: Principal, query: InvoicesQuery): Promise<InvoicePage> {
  const conditions: SQL[] = [visibleInvoicesCondition(principal)];
  if (query.status) conditions.push(eq(invoices.status, query.status));
  if (query.cursor) {
    const { value, id } = decodeCursor(query.cursor, { sort: "issued", dir: "desc", field: "cursor" });
    const at = cursorInstant(value, "cursor");
    conditions.push(sql`(${invoices.issuedAt}, ${invoices.id}) < (${at.toISOString()}::timestamptz, ${id}::uuid)`);
  }
  const rows = await selectInvoices(db).where(and(...conditions)).orderBy(desc(invoices.issuedAt), desc(invoices.id)).limit(query.limit + 1);
  const data = rows.slice(0, query.limit).map(toInvoice);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > query.limit && last ? encodeCursor("issued", "desc", last.issuedAt, last.id) : null };
}

/** One invoice, or null when it does not exist or is outside the caller's invoices:read scope. */
export async function getInvoice(db: Executor, principal: Principal, invoiceId: string): Promise<Invoice | null> {
  const [row] = await selectInvoices(db).where(and(visibleInvoicesCondition(principal), eq(invoices.id, invoiceId)));
  return row ? toInvoice(row) : null;
}

function selectInvoices(db: Executor) {
  return db
    .select({ invoice: invoices, orderNumber: orders.number, branchName: branches.name })
    .from(invoices)
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .innerJoin(branches, eq(branches.id, invoices.branchId))
    .$dynamic();
}

function toInvoice(r: { invoice: typeof invoices.$inferSelect; orderNumber: string; branchName: string }): Invoice {
  const i = r.invoice;
  return {
    id: i.id,
    number: i.number,
    orderId: i.orderId,
    orderNumber: r.orderNumber,
    branchId: i.branchId,
    branchName: r.branchName,
    status: i.status,
    currency: i.currency,
    subtotalMinor: i.subtotalMinor,
    taxMinor: i.taxMinor,
    totalMinor: i.totalMinor,
    baseTotalMinor: i.baseTotalMinor,
    baseCurrency: i.baseCurrency,
    dueDate: i.dueDate,
    issuedAt: i.issuedAt.toISOString(),
    decidedAt: i.decidedAt ? i.decidedAt.toISOString() : null,
    comment: i.comment,
    version: i.version,
  };
}

/**
 * The invoice as the supplier sees it right after issuing it: read in the supplier scope (the
 * row is the account's), after the same invoices:issue check.
 */
export async function readIssuedInvoice(principal: Principal, invoiceId: string, db?: Db): Promise<Invoice> {
  const rows = await readAsSupplier(principal, "invoices:issue", (tx) => selectInvoices(tx).where(eq(invoices.id, invoiceId)), db);
  if (!rows[0]) throw new NotFoundError("Invoice");
  return toInvoice(rows[0]);
}
