import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { readJsonBody } from "@/lib/http/read-json-body";
import { respondJson } from "@/lib/http/respond-json";
import { withApiPrincipal } from "@/lib/http/with-api-principal";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { listSsoSettings } from "@/lib/sso/list-connections";

export const dynamic = "force-dynamic";

/** GET /api/v1/sso/domains: the org's claimed domains with their TXT record and status. */
export const GET = withApiPrincipal(async ({ principal, db }) => {
  const settings = await readAs(principal, (tx) => listSsoSettings(tx, principal), db);
  return respondJson({ data: settings.domains });
});

/** POST /api/v1/sso/domains: claims a domain (verified later by its TXT record; the operator's override is CLI-only). */
export const POST = withApiPrincipal(async ({ request, principal, meta, db }) => {
  return respondJson(await runCommand(addDomainCommand, principal, meta, await readJsonBody(request), db), 201);
});
