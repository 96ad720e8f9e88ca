import { requireAuditReader } from "@/lib/audit/record-access-denied";
import { auditExportQuerySchema } from "@/lib/audit/schemas";
import { NotFoundError, StepUpRequiredError, UnauthorizedError } from "@/lib/core/errors";
import { readRequestMeta } from "@/lib/core/request-meta";
import { parseQuery } from "@/lib/http/parse-query";
import { toProblemResponse } from "@/lib/http/problem";
import { streamAuditExport } from "@/lib/http/stream-audit-export";
import { loadSessionPrincipal } from "@/lib/identity/load-member-principal";
import { loadViewer } from "../../../../load-viewer";
import { stepUpPath } from "../../../../account/step-up-path";

export const dynamic = "force-dynamic";

/**
 * GET /orgs/{org}/audit/export?format=csv|jsonl&…filters: the dashboard's download, on the
 * session cookie. Same gate, same record and same stream as GET /api/v1/audit/export.
 */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const meta = readRequestMeta(request.headers);
  try {
    const viewer = await loadViewer();
    if (!viewer) throw new UnauthorizedError();
    const principal = await loadSessionPrincipal(viewer, (await params).org);
    // Not a member looks exactly like no such organization.
    if (!principal) throw new NotFoundError("Organization");
    await requireAuditReader(principal, meta, "audit.export");
    const { format, ...filters } = parseQuery(auditExportQuerySchema, new URL(request.url).searchParams);
    return await streamAuditExport(principal, meta, format, filters);
  } catch (error) {
    // Exporting the trail needs a recent second factor: send the person to confirm it, then back.
    if (error instanceof StepUpRequiredError) {
      const url = new URL(request.url);
      return new Response(null, { status: 303, headers: { location: stepUpPath(url.pathname + url.search) } });
    }
    return toProblemResponse(error, request, meta);
  }
}
