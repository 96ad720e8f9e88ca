import { NotFoundError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { getInvoice } from "@/lib/invoices/list-invoices";

export const dynamic = "force-dynamic";

/** GET /api/v1/invoices/{id}: missing, another account's and another branch's invoices are the same 404. */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: { params: Promise<{ id: string }> }) => {
  const id = parseIdParam((await params).id, "Invoice");
  const invoice = await readAs(principal, (tx) => getInvoice(tx, principal, id), db);
  if (!invoice) throw new NotFoundError("Invoice");
  return respondJson(invoice);
});
