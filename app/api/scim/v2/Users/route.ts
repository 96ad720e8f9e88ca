import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { readScimBody } from "@/lib/scim/http/read-scim-body";
import { scimResourceResponse, scimResponse } from "@/lib/scim/http/scim-response";
import { withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { readScimListQuery } from "@/lib/scim/list-query";
import { createScimUserCommand } from "@/lib/scim/users/create-scim-user";
import { listScimUsers } from "@/lib/scim/users/list-scim-users";

export const dynamic = "force-dynamic";

/** GET /api/scim/v2/Users?filter=&sortBy=&sortOrder=&startIndex=&count=&attributes=&excludedAttributes= */
export const GET = withScimPrincipal(async ({ request, principal, db }) => {
  const query = readScimListQuery(new URL(request.url).searchParams);
  return scimResponse(await readAs(principal, (tx) => listScimUsers(tx, principal, query), db));
});

/** POST /api/scim/v2/Users: 201 with Location and ETag; an invitation, if any, is mailed after commit. */
export const POST = withScimPrincipal(async ({ request, principal, meta, db }) => {
  const body = await readScimBody(request);
  const created = await runCommand(createScimUserCommand, principal, meta, { body }, db);
  if (created.invitation) await deliverMessage(created.invitation.to, created.invitation.message);
  return scimResourceResponse(created.resource, 201);
});
