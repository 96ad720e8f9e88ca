import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { parseBody } from "@/lib/http/supplier-bodies";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { dryRunMappingSchema } from "@/lib/sso/admin-schemas";
import { dryRunMappings } from "@/lib/sso/dry-run-mappings";

export const dynamic = "force-dynamic";

/** POST /api/v1/sso/mappings/dry-run: "these claims would give these grants" for a connection. Writes nothing. */
export const POST = withApiPrincipal(async ({ request, principal, db }) => {
  const input = parseBody(dryRunMappingSchema, await readJsonBody(request));
  return respondJson(await readAs(principal, (tx) => dryRunMappings(tx, principal, input), db));
});
