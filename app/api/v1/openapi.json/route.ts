import { buildOpenApiDocument } from "@/lib/http/openapi";

/** GET /api/v1/openapi.json: public, and the same for everyone, so caches may keep it briefly. */
export function GET(): Response {
  return Response.json(buildOpenApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}
