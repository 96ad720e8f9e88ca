import { getDb, type Db, type Executor, type Tx } from "@/db/client";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { runCommand } from "@/lib/core/command";
import type { OrgRef, Principal, RequestMeta } from "@/lib/core/context";
import { readAs } from "@/lib/core/read-as";
import { exportAccountOrdersCsv, exportOrdersCsv } from "@/lib/orders/export-orders-csv";
import type { AccountOrderExportFilters, OrderExportFilters } from "@/lib/orders/export-schemas";
import { recordOrderExportCommand } from "@/lib/orders/record-order-export";
import { readUntil, toByteStream } from "./byte-stream";

export type OrderExportRequest = { list: "orders"; filters: OrderExportFilters } | { list: "account-orders"; filters: AccountOrderExportFilters };

/**
 * Answers an order list's "Download CSV": the export is recorded first (orders.exported, which
 * also refuses someone who may not read the list), then the rows stream in keyset batches as the
 * client reads them, each batch in its own transaction scoped like the list's page (row-level
 * security; the supplier scope for the list across accounts). Nothing is answered before the
 * first batch has been read, so a bad filter is an error response, not a truncated 200.
 */
export async function streamOrderExport(principal: Principal, meta: RequestMeta, request: OrderExportRequest, db: Db = getDb()): Promise<Response> {
  await runCommand(recordOrderExportCommand, principal, meta, request, db);
  let reads = 0;
  const read = async <T,>(fn: (tx: Executor) => Promise<T>) => {
    const result = await readAs(principal, fn, db);
    reads++;
    return result;
  };
  const readSupplier = async <T,>(fn: (tx: Tx, supplier: OrgRef) => Promise<T>) => {
    const result = await readAsSupplier(principal, "orders:read", fn, db);
    reads++;
    return result;
  };
  const chunks = request.list === "orders" ? exportOrdersCsv(principal, request.filters, read) : exportAccountOrdersCsv(request.filters, readSupplier);
  const head = await readUntil(chunks, () => reads > 0);
  return new Response(toByteStream(head, chunks, meta, "order export"), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8; header=present",
      "Content-Disposition": `attachment; filename="${orderExportFileName(principal.org!.slug, request.list)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** "orders-acme-20260501T093000Z.csv": the list, the org and the moment, safe in any header. */
export function orderExportFileName(orgSlug: string, list: OrderExportRequest["list"], now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  return `${list}-${orgSlug.replace(/[^a-z0-9-]/gi, "_")}-${stamp}.csv`;
}
