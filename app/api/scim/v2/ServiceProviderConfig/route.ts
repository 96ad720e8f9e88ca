import { scimResponse } from "@/lib/scim/http/scim-response";
import { methodNotAllowed, withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { serviceProviderConfig } from "@/lib/scim/discovery";

export const dynamic = "force-dynamic";

/** GET /api/scim/v2/ServiceProviderConfig (RFC 7644 §4). */
export const GET = withScimPrincipal(async () => scimResponse(serviceProviderConfig()));
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
