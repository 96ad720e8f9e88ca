import { createDelegationCommand } from "@/lib/approvals/create-delegation";
import { createDelegationSchema } from "@/lib/approvals/delegation-schemas";
import { findMyDelegation, listMyDelegations } from "@/lib/approvals/list-delegations";
import { runCommand } from "@/lib/core/command";
import { NotFoundError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";

export const dynamic = "force-dynamic";

/** GET /api/v1/approval-delegations: the delegations the caller gave and received, in this org. */
export const GET = withApiPrincipal(async ({ principal, db }) => respondJson(await readAs(principal, (tx) => listMyDelegations(tx, principal), db)));

/** POST /api/v1/approval-delegations with { delegateMembershipId | delegateEmail, startsAt?, endsAt }: names the caller's stand-in. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  const body = parseBody(createDelegationSchema, await readJsonBody(request));
  const created = await runCommand(createDelegationCommand, principal, meta, body, db);
  const delegation = await readAs(principal, (tx) => findMyDelegation(tx, principal, created.id), db);
  if (!delegation) throw new NotFoundError("Delegation");
  return respondJson(delegation, 201);
});
