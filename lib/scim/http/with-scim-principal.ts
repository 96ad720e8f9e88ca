import { getDb, type Db } from "@/db/client";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { assertCleanInput, readQueryMap } from "@/lib/core/input-rules";
import { readRequestMeta } from "@/lib/core/request-meta";
import { readBearerToken } from "@/lib/http/read-bearer-token";
import { refuseApiToken } from "@/lib/identity/record-rejected-api-token";
import { resolveScimToken } from "../resolve-scim-token";
import { scimErrorResponse, toScimErrorResponse } from "./scim-response";

export interface ScimCall {
  request: Request;
  principal: Principal;
  meta: RequestMeta;
  db: Db;
}

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="countersign-scim"' };

/**
 * Wraps a /api/scim/v2 route handler: resolves the SCIM token to its org (a revoked one stops at
 * once), scans the query and path params, runs the handler and maps every error to the SCIM Error
 * schema. A refused token is throttled and counted like a refused API token.
 */
export function withScimPrincipal<A extends unknown[]>(handler: (call: ScimCall, ...args: A) => Promise<Response>) {
  return async (request: Request, ...args: A): Promise<Response> => {
    const meta = readRequestMeta(request.headers);
    try {
      const db = getDb();
      const token = readBearerToken(request.headers);
      if (!token) return scimErrorResponse(401, "A SCIM token is required: send `Authorization: Bearer <token>`.", undefined, CHALLENGE);
      const principal = await resolveScimToken(db, token);
      if (!principal) {
        const refused = await refuseApiToken(db, meta, token);
        if (refused.verdict === "throttled") {
          return scimErrorResponse(429, `Too many refused tokens from your address. Try again in ${refused.retryAfterSeconds} seconds.`, undefined, { ...CHALLENGE, "Retry-After": String(refused.retryAfterSeconds) });
        }
        // One message for unknown and revoked: the caller learns nothing about which.
        return scimErrorResponse(401, "The SCIM token is not valid. It may be mistyped or revoked.", undefined, CHALLENGE);
      }
      readQueryMap(new URL(request.url).searchParams);
      const context = args[0] as { params?: Promise<unknown> } | undefined;
      if (context?.params) assertCleanInput(await context.params);
      return await handler({ request, principal, meta, db }, ...args);
    } catch (error) {
      return toScimErrorResponse(error, meta);
    }
  };
}

/** For the verbs a discovery endpoint does not have (RFC 7644 §4: POST to them is 405). */
/**
 * An endpoint the RFC names but this provider does not support (RFC 7644 §3.11's /Me): 501 in
 * the SCIM Error schema, after the token check, so an unauthenticated caller learns nothing.
 */
export function scimNotImplemented(detail: string) {
  return withScimPrincipal(async () => scimErrorResponse(501, detail));
}

export function methodNotAllowed(allowed: string) {
  return async (): Promise<Response> => scimErrorResponse(405, `This endpoint only answers ${allowed}.`, undefined, { Allow: allowed });
}
