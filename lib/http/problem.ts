import type { RequestMeta } from "@/lib/core/context";
import { AppError, ConflictError, httpStatusFor, RateLimitedError, ValidationError, type FieldErrors } from "@/lib/core/errors";
import type { Problem } from "./schemas";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

// Each AppError code maps to exactly one status, so "about:blank" (RFC 9457 §4.2.1) is accurate:
// the status and its title carry the whole meaning, and `detail` explains this occurrence.
const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

export interface ProblemInit {
  status: number;
  detail: string;
  errors?: FieldErrors | undefined;
  headers?: Record<string, string> | undefined;
}

/** An RFC 9457 response for this request; `instance` is the path, never the query string. */
export function problemResponse(init: ProblemInit, request: Request, meta: RequestMeta): Response {
  return new Response(JSON.stringify(buildProblem(init, new URL(request.url).pathname, meta.requestId)), {
    status: init.status,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", ...init.headers },
  });
}

/**
 * The problem document itself, for answers given before a Request exists (the HTTP front) or
 * outside a route handler (proxy.ts). `instance` is a path; one that cannot be shown as it is
 * (a malformed escape) is left out.
 */
export function buildProblem(init: Omit<ProblemInit, "headers">, instance: string | undefined, requestId: string): Problem {
  return {
    type: "about:blank",
    title: titles[init.status] ?? "Error",
    status: init.status,
    detail: init.detail,
    ...(instance === undefined ? {} : { instance }),
    requestId,
    ...(init.errors ? { errors: init.errors } : {}),
  };
}

/** Maps a thrown value once: typed errors keep their message, anything else becomes a bare 500. */
export function toProblemResponse(error: unknown, request: Request, meta: RequestMeta): Response {
  if (error instanceof AppError) {
    const status = httpStatusFor[error.code];
    return problemResponse({ status, detail: error.message, errors: fieldErrorsOf(error), headers: challengeFor(error) }, request, meta);
  }
  // The message of an unexpected error may hold SQL, paths or data: it goes to the log only.
  console.error(`[api] unexpected error, request ${meta.requestId}:`, error);
  return problemResponse(
    { status: 500, detail: `Something went wrong on our side. Quote request id ${meta.requestId} if you report it.` },
    request,
    meta,
  );
}

function fieldErrorsOf(error: AppError): FieldErrors | undefined {
  if (error instanceof ValidationError) return error.fieldErrors;
  if (error instanceof ConflictError && error.field) return { [error.field]: [error.message] };
  return undefined;
}

function challengeFor(error: AppError): Record<string, string> | undefined {
  if (error.code === "unauthorized") return { "WWW-Authenticate": bearerChallenge() };
  // RFC 9110 §10.2.3: how long to wait; a block that only a reset lifts has no such time.
  if (error instanceof RateLimitedError && error.retryAfterSeconds > 0) return { "Retry-After": String(error.retryAfterSeconds) };
  return undefined;
}

/** RFC 6750 §3: no error code when no token was sent, `invalid_token` when one was refused. */
export function bearerChallenge(error?: "invalid_token"): string {
  return error ? `Bearer realm="countersign", error="${error}"` : `Bearer realm="countersign"`;
}
