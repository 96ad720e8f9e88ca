import { runCommand } from "@/lib/core/command";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** POST /api/v1/grants { membershipId, roleId, branchId?, expiresAt?, approvalLimitMinor?, approvalLimitCurrency? }. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  return respondJson(await runCommand(addGrantCommand, principal, meta, await readJsonBody(request), db), 201);
});
