import { endDelegationCommand } from "@/lib/approvals/end-delegation";
import { findMyDelegation } from "@/lib/approvals/list-delegations";
import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/v1/approval-delegations/{id}: one the caller gave or received; anyone else's is 404. */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: Params) => {
  const id = parseIdParam((await params).id, "Delegation");
  const delegation = await readAs(principal, (tx) => findMyDelegation(tx, principal, id), db);
  if (!delegation) throw new NotFoundError("Delegation");
  return respondJson(delegation);
});

/** DELETE /api/v1/approval-delegations/{id}: the delegator ends it now (the row stays, for the record). */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const id = parseIdParam((await params).id, "Delegation");
  await runCommand(endDelegationCommand, principal, meta, { delegationId: id }, db);
  const delegation = await readAs(principal, (tx) => findMyDelegation(tx, principal, id), db);
  if (!delegation) throw new NotFoundError("Delegation");
  return respondJson(delegation);
});
