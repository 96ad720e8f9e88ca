import { readAs } from "@/lib/core/read-as";
import { listAuditEvents } from "@/lib/audit/list-audit-events";
import { requireAuditReader } from "@/lib/audit/record-access-denied";
import { apiAuditListQuerySchema } from "@/lib/audit/schemas";
import { parseQuery } from "@/lib/http/parse-query";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit/events: one keyset page of the trail the token's member may read, newest first. */
export const GET = withApiPrincipal(async ({ request, principal, meta, db }) => {
  await requireAuditReader(principal, meta, "api.audit.events", db);
  const query = parseQuery(apiAuditListQuerySchema, new URL(request.url).searchParams);
  const page = await readAs(principal, (tx) => listAuditEvents(tx, principal, query), db);
  return respondJson({ data: page.data, nextCursor: page.nextCursor });
});
