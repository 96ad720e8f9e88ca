import { readAs } from "@/lib/core/read-as";
import { readScimBody } from "@/lib/scim/http/read-scim-body";
import { scimResponse } from "@/lib/scim/http/scim-response";
import { withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { readSearchRequest } from "@/lib/scim/search-request";
import { listScimUsers } from "@/lib/scim/users/list-scim-users";

export const dynamic = "force-dynamic";

/** POST /api/scim/v2/Users/.search (RFC 7644 §3.4.3): GET /Users's query in a body; it writes nothing. */
export const POST = withScimPrincipal(async ({ request, principal, db }) => {
  const query = readSearchRequest(await readScimBody(request));
  return scimResponse(await readAs(principal, (tx) => listScimUsers(tx, principal, query), db));
});
