import { NotFoundError, UnauthorizedError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { parseQuery } from "@/lib/http/parse-query";
import { toProblemResponse } from "@/lib/http/problem";
import { streamOrderExport } from "@/lib/http/stream-order-export";
import { loadSessionPrincipal } from "@/lib/identity/load-member-principal";
import { accountOrderExportFiltersSchema } from "@/lib/orders/export-schemas";
import { loadViewer } from "../../../../load-viewer";

export const dynamic = "force-dynamic";

/**
 * GET /orgs/{org}/account-orders/export?…filters: the supplier's "Download CSV" of orders across
 * accounts, on the session cookie, with the list's filters; needs orders:read at the supplier's root.
 */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const meta = readRequestMeta(request.headers);
  try {
    const viewer = await loadViewer();
    if (!viewer) throw new UnauthorizedError();
    const principal = await loadSessionPrincipal(viewer, (await params).org);
    // Not a member looks exactly like no such organization.
    if (!principal) throw new NotFoundError("Organization");
    const filters = parseQuery(accountOrderExportFiltersSchema, new URL(request.url).searchParams);
    return await streamOrderExport(principal, meta, { list: "account-orders", filters });
  } catch (error) {
    return toProblemResponse(error, request, meta);
  }
}
