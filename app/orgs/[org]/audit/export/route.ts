import { requireAuditReader } from "@/lib/audit/record-access-denied";
import { auditExportQuerySchema } from "@/lib/audit/schemas";
import { StepUpRequiredError } from "@/lib/core/errors";
import { parseQuery } from "@/lib/http/parse-query";
import { streamAuditExport } from "@/lib/http/stream-audit-export";
import { stepUpPath } from "../../../../account/step-up-path";
import { sessionDownload } from "../../session-download";

export const dynamic = "force-dynamic";

/**
 * GET /orgs/{org}/audit/export?format=csv|jsonl&…filters: the dashboard's download, on the
 * session cookie. Same gate, same record and same stream as GET /api/v1/audit/export.
 */
export const GET = sessionDownload(
  async ({ request, principal, meta }) => {
    await requireAuditReader(principal, meta, "audit.export");
    const { format, ...filters } = parseQuery(auditExportQuerySchema, new URL(request.url).searchParams);
    return streamAuditExport(principal, meta, format, filters);
  },
  // Exporting the trail needs a recent second factor: send the person to confirm it, then back.
  (error, request) => {
    if (!(error instanceof StepUpRequiredError)) return null;
    const url = new URL(request.url);
    return new Response(null, { status: 303, headers: { location: stepUpPath(url.pathname + url.search) } });
  },
);
