import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { readScimBody } from "@/lib/scim/http/read-scim-body";
import { scimReadResponse, scimResourceResponse, scimResponse } from "@/lib/scim/http/scim-response";
import { withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { readScimListQuery } from "@/lib/scim/list-query";
import { deleteScimUserCommand } from "@/lib/scim/users/delete-scim-user";
import { getScimUser } from "@/lib/scim/users/list-scim-users";
import { updateScimUserCommand } from "@/lib/scim/users/update-scim-user";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };
const ifMatchOf = (request: Request) => request.headers.get("if-match") ?? undefined;

/** GET /api/scim/v2/Users/{id}: 404 for another org's, a deleted or an unknown id; 304 when If-None-Match names the current version. */
export const GET = withScimPrincipal(async ({ request, principal, db }, { params }: Params) => {
  const { id } = await params;
  const query = readScimListQuery(new URL(request.url).searchParams);
  const found = await readAs(principal, (tx) => getScimUser(tx, principal, id, query), db);
  return scimReadResponse(request, found.resource);
});

/** PUT /api/scim/v2/Users/{id}: replaces the User; a stale If-Match is 412. */
export const PUT = withScimPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = await readScimBody(request);
  const updated = await runCommand(updateScimUserCommand, principal, meta, { scimUserId: id, mode: "replace", body, ifMatch: ifMatchOf(request) }, db);
  if (updated.invitation) await deliverMessage(updated.invitation.to, updated.invitation.message);
  return scimResourceResponse(updated.resource);
});

/** PATCH /api/scim/v2/Users/{id}: a PatchOp message, with Okta's and Entra's quirks normalised. */
export const PATCH = withScimPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = await readScimBody(request);
  const updated = await runCommand(updateScimUserCommand, principal, meta, { scimUserId: id, mode: "patch", body, ifMatch: ifMatchOf(request) }, db);
  if (updated.invitation) await deliverMessage(updated.invitation.to, updated.invitation.message);
  return scimResourceResponse(updated.resource);
});

/** DELETE /api/scim/v2/Users/{id}: soft; deactivates the membership, its sessions and tokens at once. 204. */
export const DELETE = withScimPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  await runCommand(deleteScimUserCommand, principal, meta, { scimUserId: id, ifMatch: ifMatchOf(request) }, db);
  return scimResponse(null, 204);
});
