import { runCommand } from "@/lib/core/command";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { deleteRoleCommand } from "@/lib/roles/delete-role";
import { updateRoleCommand } from "@/lib/roles/update-role";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** PATCH /api/v1/roles/{id}: the role's full new definition (name, description, permissions, inherits). */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const body = (await readJsonBody(request)) as Record<string, unknown>;
  return respondJson(await runCommand(updateRoleCommand, principal, meta, { ...body, roleId: (await params).id }, db));
});

/** DELETE /api/v1/roles/{id}?grants=revoke|<roleId to reassign to>: required when the role is in use. */
export const DELETE = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const decision = new URL(request.url).searchParams.get("grants");
  const grants = decision === null ? undefined : decision === "revoke" ? "revoke" : { reassignTo: decision };
  return respondJson(await runCommand(deleteRoleCommand, principal, meta, { roleId: (await params).id, grants }, db));
});
