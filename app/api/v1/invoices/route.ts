import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { issueInvoiceCommand } from "@/lib/invoices/issue-invoice";
import { listInvoices, readIssuedInvoice } from "@/lib/invoices/list-invoices";
import { invoicesQuerySchema, issueInvoiceSchema } from "@/lib/invoices/schemas";

export const dynamic = "force-dynamic";

/** GET /api/v1/invoices: a keyset page of the invoices of the caller's invoices:read branches. */
export const GET = withApiPrincipal(async ({ request, principal, db }) => {
  const query = parseQuery(invoicesQuerySchema, new URL(request.url).searchParams);
  return respondJson(await readAs(principal, (tx) => listInvoices(tx, principal, query), db));
});

/** POST /api/v1/invoices with { orderId, dueInDays? }: the supplier invoices a placed order (the amount is the order's). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const body = parseBody(issueInvoiceSchema, await readJsonBody(request));
  const invoice = await runCommand(issueInvoiceCommand, principal, meta, body, db);
  return respondJson(await readIssuedInvoice(principal, invoice.id, db), 201);
});
