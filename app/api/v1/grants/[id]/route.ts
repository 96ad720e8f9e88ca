import { runCommand } from "@/lib/core/command";
import { parseIdParam } from "@/lib/core/input-rules";
import { revokeGrantCommand } from "@/lib/grants/revoke-grant";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** DELETE /api/v1/grants/{id}: takes effect on the member's next request. */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: { params: Promise<{ id: string }> }) => {
  return respondJson(await runCommand(revokeGrantCommand, principal, meta, { grantId: parseIdParam((await params).id, "Grant") }, db));
});
