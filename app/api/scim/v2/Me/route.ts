import { scimErrorResponse } from "@/lib/scim/http/scim-response";
import { withScimPrincipal } from "@/lib/scim/http/with-scim-principal";

export const dynamic = "force-dynamic";

/**
 * /Me (RFC 7644 §3.11) names the person the request authenticates as. A SCIM token belongs to
 * the organization's provisioning client, never to a person, so there is no one to alias: 501,
 * as the RFC asks of a provider that does not support it (after the token check, so an
 * unauthenticated caller learns nothing).
 */
const notImplemented = withScimPrincipal(async () =>
  scimErrorResponse(501, "/Me is not supported: a SCIM token belongs to the organization's provisioning client, not to a person. Use /Users/{id}."),
);
export const GET = notImplemented;
export const POST = notImplemented;
export const PUT = notImplemented;
export const PATCH = notImplemented;
export const DELETE = notImplemented;
