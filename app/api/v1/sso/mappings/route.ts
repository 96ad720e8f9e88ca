import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { listSsoSettings } from "@/lib/sso/list-connections";

export const dynamic = "force-dynamic";

/** GET /api/v1/sso/mappings: the org's mapping rules (claim value → role at a branch). */
export const GET = withApiPrincipal(async ({ principal, db }) => {
  const settings = await readAs(principal, (tx) => listSsoSettings(tx, principal), db);
  return respondJson({ data: settings.mappings });
});

/** POST /api/v1/sso/mappings: adds a rule; it obeys delegation like a grant. */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  return respondJson(await runCommand(addMappingCommand, principal, meta, await readJsonBody(request), db), 201);
});
