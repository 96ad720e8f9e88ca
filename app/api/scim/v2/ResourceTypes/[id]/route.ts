import { scimResponse } from "@/lib/scim/http/scim-response";
import { methodNotAllowed, withScimPrincipal } from "@/lib/scim/http/with-scim-principal";
import { findResourceType } from "@/lib/scim/discovery";

export const dynamic = "force-dynamic";

export const GET = withScimPrincipal(async (_call, { params }: { params: Promise<{ id: string }> }) => scimResponse(findResourceType((await params).id)));
export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
