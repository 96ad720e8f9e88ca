import { readAs } from "@/lib/core/read-as";
import { requireAuditReader } from "@/lib/audit/record-access-denied";
import { verifyChain } from "@/lib/audit/verify-chain";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/audit/verify: recomputes the token's org chain. Always 200 with the report: a break
 * is a successful answer ("intact": false, "firstBrokenSeq"), not a failed request.
 */
export const GET = withApiPrincipal(async ({ principal, meta, db }) => {
  await requireAuditReader(principal, meta, "api.audit.verify", db);
  return respondJson(await readAs(principal, (tx) => verifyChain(tx, principal.org!.id), db));
});
