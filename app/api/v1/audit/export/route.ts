import { requireAuditReader } from "@/lib/audit/record-access-denied";
import { auditExportQuerySchema } from "@/lib/audit/schemas";
import { parseQuery } from "@/lib/http/parse-query";
import { streamAuditExport } from "@/lib/http/stream-audit-export";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit/export?format=csv|jsonl&…filters: the whole filtered trail, streamed. */
export const GET = withApiPrincipal(async ({ request, principal, meta, db }) => {
  await requireAuditReader(principal, meta, "api.audit.export", db);
  const { format, ...filters } = parseQuery(auditExportQuerySchema, new URL(request.url).searchParams);
  return streamAuditExport(principal, meta, format, filters, db);
});
