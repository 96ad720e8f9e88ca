import { z } from "zod";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { parseIdParam } from "@/lib/core/input-rules";
import { parseQuery } from "@/lib/http/parse-query";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { deleteRoleCommand } from "@/lib/roles/delete-role";
import { updateRoleCommand } from "@/lib/roles/update-role";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

const deleteQuerySchema = z.strictObject({ grants: z.string().max(100, "must be at most 100 characters").optional() });

/** PATCH /api/v1/roles/{id}: the role's full new definition (name, description, permissions, inherits). */
export const PATCH = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const roleId = parseIdParam((await params).id, "Role");
  const body = await readJsonBody(request);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ValidationError({ body: ["must be a JSON object"] });
  return respondJson(await runCommand(updateRoleCommand, principal, meta, { ...body, roleId }, db));
});

/** DELETE /api/v1/roles/{id}?grants=revoke|<roleId to reassign to>: required when the role is in use. */
export const DELETE = withApiPrincipal(async ({ request, principal, meta, db }, { params }: Params) => {
  const roleId = parseIdParam((await params).id, "Role");
  const { grants: decision } = parseQuery(deleteQuerySchema, new URL(request.url).searchParams);
  const grants = decision === undefined ? undefined : decision === "revoke" ? "revoke" : { reassignTo: decision };
  return respondJson(await runCommand(deleteRoleCommand, principal, meta, { roleId, grants }, db));
});
