import { scimResponse } from "@/lib/scim/http/scim-response";
import { methodNotAllowed, withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { listResponse, listSchemas } from "@/lib/scim/discovery";

export const dynamic = "force-dynamic";

/** GET /api/scim/v2/Schemas: User, EnterpriseUser and Group, as scimmy defines them. */
export const GET = withScimPrincipal(async () => scimResponse(listResponse(listSchemas())));
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
