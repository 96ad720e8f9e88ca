import { readAs } from "@/lib/core/read-as";
import { listScimGroups } from "@/lib/scim/groups/list-scim-groups";
import { readScimBody } from "@/lib/scim/http/read-scim-body";
import { scimResponse } from "@/lib/scim/http/scim-response";
import { withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { readSearchRequest } from "@/lib/scim/search-request";

export const dynamic = "force-dynamic";

/** POST /api/scim/v2/Groups/.search (RFC 7644 §3.4.3): GET /Groups's query in a body; it writes nothing. */
export const POST = withScimPrincipal(async ({ request, principal, db }) => {
  const query = readSearchRequest(await readScimBody(request));
  return scimResponse(await readAs(principal, (tx) => listScimGroups(tx, principal, query), db));
});
