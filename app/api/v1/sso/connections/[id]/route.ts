import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { deleteConnectionCommand } from "@/lib/sso/delete-connection";
import { findSsoSetting } from "@/lib/sso/find-sso-setting";
import { updateConnectionCommand } from "@/lib/sso/update-connection";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** GET /api/v1/sso/connections/{id}: one connection of the org, never its secret; else 404. */
export const GET = withApiPrincipal(async ({ principal, db }, { params }: Params) => {
  const { id } = await params;
  return respondJson(await readAs(principal, (tx) => findSsoSetting(tx, principal, "connections", id), db));
});

/** PATCH /api/v1/sso/connections/{id}: name, enabled, scopes, MFA policy, default role, IdP-initiated (SAML), a rotated secret. */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  const body = await readJsonBody(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError({ body: ["must be a JSON object"] });
  // Another org's id is 404 before the step-up refusal, like a missing one.
  await readAs(principal, (tx) => findSsoSetting(tx, principal, "connections", id), db);
  await runCommand(updateConnectionCommand, principal, meta, { ...body, connectionId: id }, db);
  return respondJson(await readAs(principal, (tx) => findSsoSetting(tx, principal, "connections", id), db));
});

/** DELETE /api/v1/sso/connections/{id}: with its identities and rules; its domains stay owned. */
export const DELETE = withApiPrincipal(async ({ principal, meta, db }, { params }: Params) => {
  const { id } = await params;
  await readAs(principal, (tx) => findSsoSetting(tx, principal, "connections", id), db);
  return respondJson(await runCommand(deleteConnectionCommand, principal, meta, { connectionId: id }, db));
});
