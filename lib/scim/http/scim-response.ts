import type { RequestMeta } from "@/lib/core/context";
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from "@/lib/core/errors";
import { matchesIfNoneMatch } from "../etag";
import { ScimError, SCIM_ERROR_SCHEMA, type ScimType } from "../scim-error";

export const SCIM_CONTENT_TYPE = "application/scim+json";

/** A SCIM answer: application/scim+json, never cached. */
export function scimResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { ...(body === null ? {} : { "Content-Type": `${SCIM_CONTENT_TYPE}; charset=utf-8` }), "Cache-Control": "no-store", ...headers },
  });
}

export function scimErrorResponse(status: number, detail: string, scimType?: ScimType, headers: Record<string, string> = {}): Response {
  return scimResponse(errorBody(status, detail, scimType), status, headers);
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: ScimType;
  detail: string;
}

function errorBody(status: number, detail: string, scimType?: ScimType): ScimErrorBody {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/**
 * Maps a thrown value once, to the SCIM Error schema (RFC 7644 §3.12). The app's typed errors
 * keep their plain-words message; bad input is a 400 with a scimType, never a 422 or a 500.
 * Also the `response` of a failed Bulk operation.
 */
export function toScimError(error: unknown, meta: RequestMeta): ScimErrorBody {
  if (error instanceof ScimError) return errorBody(error.status, error.message, error.scimType);
  // scim-filter's ScimFilterError and any other AppError that names its scimType.
  const scimType = (error as { scimType?: unknown } | null)?.scimType;
  if (error instanceof AppError && typeof scimType === "string") return errorBody(400, error.message, scimType as ScimType);
  if (error instanceof PayloadTooLargeError) return errorBody(400, error.message, "tooMany");
  if (error instanceof ValidationError) return errorBody(400, error.message, "invalidValue");
  if (error instanceof NotFoundError) return errorBody(404, error.message);
  if (error instanceof ConflictError) return errorBody(409, error.message, "uniqueness");
  if (error instanceof AppError) {
    const status = error.code === "unauthorized" ? 401 : error.code === "rate_limited" ? 429 : error.code === "forbidden" || error.code === "step_up_required" ? 403 : 400;
    return errorBody(status, error.message);
  }
  // The message of an unexpected error may hold SQL, paths or data: it goes to the log only.
  console.error(`[scim] unexpected error, request ${meta.requestId}:`, error);
  return errorBody(500, `Something went wrong on our side. Quote request id ${meta.requestId} if you report it.`);
}

export function toScimErrorResponse(error: unknown, meta: RequestMeta): Response {
  const body = toScimError(error, meta);
  return scimResponse(body, Number(body.status));
}

/** A resource with its ETag (meta.version), and on create its Location (RFC 7644 §3.3). */
export function scimResourceResponse(resource: Record<string, unknown>, status = 200): Response {
  const meta = resource.meta as { version?: string; location?: string } | undefined;
  return scimResponse(resource, status, { ...(meta?.version ? { ETag: meta.version } : {}), ...(status === 201 && meta?.location ? { Location: meta.location } : {}) });
}

/** A resource read: 304 with its ETag and no body when the request's If-None-Match names the current version. */
export function scimReadResponse(request: Request, resource: Record<string, unknown>): Response {
  const version = (resource.meta as { version?: string } | undefined)?.version;
  if (version && matchesIfNoneMatch(request.headers.get("if-none-match"), version)) return scimResponse(null, 304, { ETag: version });
  return scimResourceResponse(resource);
}
