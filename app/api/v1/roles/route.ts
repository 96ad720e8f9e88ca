import { runCommand } from "@/lib/core/command";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { createRoleCommand } from "@/lib/roles/create-role";

export const dynamic = "force-dynamic";

/** POST /api/v1/roles { name, description?, permissions, inherits }: never more than the caller holds. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  return respondJson(await runCommand(createRoleCommand, principal, meta, await readJsonBody(request), db), 201);
});
