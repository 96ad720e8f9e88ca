import { listWaitingApprovals } from "@/lib/approvals/list-waiting-approvals";
import { approvalsQuerySchema } from "@/lib/approvals/rule-schemas";
import { readAs } from "@/lib/core/read-as";
import { parseQuery } from "@/lib/http/parse-query";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** GET /api/v1/approvals: what waits for the caller's decision, oldest first. */
export const GET = withApiPrincipal(async ({ request, principal, db }) => {
  const query = parseQuery(approvalsQuerySchema, new URL(request.url).searchParams);
  return respondJson(await readAs(principal, (tx) => listWaitingApprovals(tx, principal, query), db));
});
