import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { readInvoiceActionBody } from "@/lib/http/invoice-action-route";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { approveInvoiceCommand } from "@/lib/invoices/decide-invoice";
import { getInvoice } from "@/lib/invoices/list-invoices";
import { approveInvoiceBodySchema } from "@/lib/invoices/schemas";

export const dynamic = "force-dynamic";

/** POST /api/v1/invoices/{id}/approve: invoices:approve at the order's branch, within the limit, never one's own order (409 once decided). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Invoice");
  const body = await readInvoiceActionBody(request, approveInvoiceBodySchema);
  await runCommand(approveInvoiceCommand, principal, meta, { ...body, invoiceId: id }, db);
  const invoice = await readAs(principal, (tx) => getInvoice(tx, principal, id), db);
  if (!invoice) throw new NotFoundError("Invoice");
  return respondJson(invoice);
});
