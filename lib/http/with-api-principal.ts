import { getDb, type Db } from "@/db/client";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { assertCleanInput, parseIdParam, readQueryMap } from "@/lib/core/input-rules";
import { readRequestMeta } from "@/lib/core/request-meta";
import { refuseApiToken } from "@/lib/identity/record-rejected-api-token";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { bearerChallenge, problemResponse, toProblemResponse } from "./problem";
import { readBearerToken } from "./read-bearer-token";

/** What an authenticated API handler gets: the token's member, never more. */
export interface ApiCall {
  request: Request;
  principal: Principal;
  meta: RequestMeta;
  db: Db;
}

/**
 * Wraps a route handler for /api/v1: resolves the bearer token to its member's live access
 * (so a revoked grant or token stops working on the next request), runs the handler, and maps
 * every thrown error to problem+json. Extra arguments (Next's `{ params }`) pass through, so
 * `GET(request)` and `GET(request, { params })` both type-check.
 */
export function withApiPrincipal<A extends unknown[]>(handler: (call: ApiCall, ...args: A) => Promise<Response>) {
  return async (request: Request, ...args: A): Promise<Response> => {
    const meta = readRequestMeta(request.headers);
    try {
      const db = getDb();
      const token = readBearerToken(request.headers);
      if (!token) {
        const detail = "An API token is required: send `Authorization: Bearer <token>`.";
        return problemResponse({ status: 401, detail, headers: { "WWW-Authenticate": bearerChallenge() } }, request, meta);
      }
      const principal = await resolveApiToken(db, token);
      if (!principal) {
        const refused = await refuseApiToken(db, meta, token);
        const challenge = { "WWW-Authenticate": bearerChallenge("invalid_token") };
        if (refused.verdict === "throttled") {
          const detail = `Too many refused API tokens from your address. Try again in ${refused.retryAfterSeconds} seconds.`;
          return problemResponse({ status: 429, detail, headers: { ...challenge, "Retry-After": String(refused.retryAfterSeconds) } }, request, meta);
        }
        // One message for unknown, revoked, expired or suspended: the caller learns nothing about which.
        const detail = "The API token is not valid. It may be mistyped, revoked or expired.";
        return problemResponse({ status: 401, detail, headers: challenge }, request, meta);
      }
      // The boundary rules for what every route may read besides its body: the query string and
      // the path's params are refused here, naming the field, before any handler sees them.
      readQueryMap(new URL(request.url).searchParams);
      return await handler({ request, principal, meta, db }, ...(await withCheckedParams(request, args)));
    } catch (error) {
      return toProblemResponse(error, request, meta);
    }
  };
}

/**
 * Next passes `{ params: Promise<…> }`; the decoded params pass the scan and go on resolved.
 * Every path param of /api/v1 is an id, and an id is a uuid: anything else cannot name a row,
 * so it is "not found" here, for every route, before a handler or a command reads it.
 */
async function withCheckedParams<A extends unknown[]>(request: Request, args: A): Promise<A> {
  const context = args[0] as { params?: unknown } | undefined;
  if (!context || typeof (context.params as PromiseLike<unknown> | undefined)?.then !== "function") return args;
  const params: unknown = await context.params;
  assertCleanInput(params);
  const segments = new URL(request.url).pathname.split("/");
  const ids = Object.fromEntries(
    Object.entries((params ?? {}) as Record<string, unknown>).map(([name, value]) => [name, parseIdParam(value, nounBefore(segments, value))]),
  );
  return [{ ...context, params: Promise.resolve(ids) }, ...args.slice(1)] as A;
}

// The collection a path id sits in names what was not found, so a malformed id gets the very
// answer a missing one gets from the handler ("Order not found."), and the two cannot be told apart.
const NOUNS: Record<string, string> = {
  accounts: "Account",
  addresses: "Address",
  branches: "Branch",
  connections: "Connection",
  domains: "Domain",
  "dead-letters": "Dead letter",
  grants: "Grant",
  mappings: "Mapping rule",
  members: "Member",
  messages: "Message",
  orders: "Order",
  products: "Product",
  roles: "Role",
};

function nounBefore(segments: string[], value: unknown): string {
  const index = segments.findIndex((segment) => segment === value || safeDecode(segment) === value);
  return NOUNS[segments[index - 1] ?? ""] ?? "Resource";
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
