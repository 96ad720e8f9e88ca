import { parseQuery } from "@/lib/http/parse-query";
import { streamOrderExport } from "@/lib/http/stream-order-export";
import { accountOrderExportFiltersSchema } from "@/lib/orders/export-schemas";
import { sessionDownload } from "../../session-download";

export const dynamic = "force-dynamic";

/**
 * GET /orgs/{org}/account-orders/export?…filters: the supplier's "Download CSV" of orders across
 * accounts, on the session cookie, with the list's filters; needs orders:read at the supplier's root.
 */
export const GET = sessionDownload(({ request, principal, meta }) =>
  streamOrderExport(principal, meta, { list: "account-orders", filters: parseQuery(accountOrderExportFiltersSchema, new URL(request.url).searchParams) }),
);
