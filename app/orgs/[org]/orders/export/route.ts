import { parseQuery } from "@/lib/http/parse-query";
import { streamOrderExport } from "@/lib/http/stream-order-export";
import { orderExportFiltersSchema } from "@/lib/orders/export-schemas";
import { sessionDownload } from "../../session-download";

export const dynamic = "force-dynamic";

/**
 * GET /orgs/{org}/orders/export?…filters: the orders list's "Download CSV", on the session
 * cookie, with the list's filters and sort; every order the person may read that matches.
 */
export const GET = sessionDownload(({ request, principal, meta }) =>
  streamOrderExport(principal, meta, { list: "orders", filters: parseQuery(orderExportFiltersSchema, new URL(request.url).searchParams) }),
);
