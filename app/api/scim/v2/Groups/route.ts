import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { createScimGroupCommand } from "@/lib/scim/groups/create-scim-group";
import { listScimGroups } from "@/lib/scim/groups/list-scim-groups";
import { readScimBody } from "@/lib/scim/http/read-scim-body";
import { scimResourceResponse, scimResponse } from "@/lib/scim/http/scim-response";
import { withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { readScimListQuery } from "@/lib/scim/list-query";

export const dynamic = "force-dynamic";

/** GET /api/scim/v2/Groups?filter=&sortBy=&sortOrder=&startIndex=&count=&attributes=&excludedAttributes= */
export const GET = withScimPrincipal(async ({ request, principal, db }) => {
  const query = readScimListQuery(new URL(request.url).searchParams);
  return scimResponse(await readAs(principal, (tx) => listScimGroups(tx, principal, query), db));
});

/** POST /api/scim/v2/Groups: 201 with Location and ETag. */
export const POST = withScimPrincipal(async ({ request, principal, meta, db }) => {
  const body = await readScimBody(request);
  const created = await runCommand(createScimGroupCommand, principal, meta, { body }, db);
  return scimResourceResponse(created.resource, 201);
});
