import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { deleteScimGroupCommand } from "@/lib/scim/groups/delete-scim-group";
import { getScimGroup } from "@/lib/scim/groups/list-scim-groups";
import { updateScimGroupCommand } from "@/lib/scim/groups/update-scim-group";
import { readScimBody } from "@/lib/scim/http/read-scim-body";
import { scimReadResponse, scimResourceResponse, scimResponse } from "@/lib/scim/http/scim-response";
import { withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { readScimListQuery } from "@/lib/scim/list-query";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };
const ifMatchOf = (request: Request) => request.headers.get("if-match") ?? undefined;

/** GET /api/scim/v2/Groups/{id}: 404 for another org's, a deleted or an unknown id; 304 when If-None-Match names the current version. */
export const GET = withScimPrincipal(async ({ request, principal, db }, { params }: Params) => {
  const { id } = await params;
  const query = readScimListQuery(new URL(request.url).searchParams);
  return scimReadResponse(request, await readAs(principal, (tx) => getScimGroup(tx, principal, id, query), db));
});

/** PUT /api/scim/v2/Groups/{id}: replaces name and members (Okta's PUT with members). */
export const PUT = withScimPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = await readScimBody(request);
  const updated = await runCommand(updateScimGroupCommand, principal, meta, { scimGroupId: id, mode: "replace", body, ifMatch: ifMatchOf(request) }, db);
  return scimResourceResponse(updated.resource);
});

/** PATCH /api/scim/v2/Groups/{id}: members added or removed (Entra's value-list removal too), or a rename. */
export const PATCH = withScimPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = await readScimBody(request);
  const updated = await runCommand(updateScimGroupCommand, principal, meta, { scimGroupId: id, mode: "patch", body, ifMatch: ifMatchOf(request) }, db);
  return scimResourceResponse(updated.resource);
});

/** DELETE /api/scim/v2/Groups/{id}: soft; its mapped grants go. 204. */
export const DELETE = withScimPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  await runCommand(deleteScimGroupCommand, principal, meta, { scimGroupId: id, ifMatch: ifMatchOf(request) }, db);
  return scimResponse(null, 204);
});
