import { scimResponse } from "@/lib/scim/http/scim-response";
import { methodNotAllowed, withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { listResourceTypes, listResponse } from "@/lib/scim/discovery";

export const dynamic = "force-dynamic";

/** GET /api/scim/v2/ResourceTypes: User (with the enterprise extension) and Group. */
export const GET = withScimPrincipal(async () => scimResponse(listResponse(listResourceTypes())));
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
