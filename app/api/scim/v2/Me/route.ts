import { scimNotImplemented } from "@/lib/scim/http/with-scim-principal";

export const dynamic = "force-dynamic";

// /Me (RFC 7644 §3.11) names the person the request authenticates as. A SCIM token belongs to the
// organization's provisioning client, never to a person, so there is no one to alias: 501, as
// the RFC asks of a provider that does not support it.
const DETAIL = "/Me is not supported: a SCIM token belongs to the organization's provisioning client, not to a person. Use /Users/{id}.";
export const GET = scimNotImplemented(DETAIL);
export const POST = scimNotImplemented(DETAIL);
export const PUT = scimNotImplemented(DETAIL);
export const PATCH = scimNotImplemented(DETAIL);
export const DELETE = scimNotImplemented(DETAIL);
