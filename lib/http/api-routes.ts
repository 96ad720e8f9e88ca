import { buildProblem, PROBLEM_CONTENT_TYPE } from "./problem";

/**
 * Every route under /api with the methods it serves, so that proxy.ts can answer the others
 * itself: a path no route serves is a problem+json 404 (not the HTML not-found page), and a
 * method the route does not serve is a problem+json 405 with an `Allow` header (Next's own 405
 * has neither). `tests/integration/api-method-table.test.ts` compares this table with the route
 * files' exports, so a new route or method fails there until it is listed.
 */
export const apiRoutes: ReadonlyArray<{ path: string; methods: readonly ApiMethod[] }> = [
  { path: "/api/auth/[...nextauth]", methods: ["GET", "POST"] },
  { path: "/api/health", methods: ["GET"] },
  // SCIM 2.0 (lib/scim): every method is the route's own, so a refusal is a SCIM Error (405 with Allow).
  { path: "/api/scim/v2/Bulk", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/Groups", methods: ["GET", "POST"] },
  { path: "/api/scim/v2/Groups/.search", methods: ["POST"] },
  { path: "/api/scim/v2/Groups/[id]", methods: ["GET", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/Me", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/ResourceTypes", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/ResourceTypes/[id]", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/Schemas", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/Schemas/[id]", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/ServiceProviderConfig", methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
  { path: "/api/scim/v2/Users", methods: ["GET", "POST"] },
  { path: "/api/scim/v2/Users/.search", methods: ["POST"] },
  { path: "/api/scim/v2/Users/[id]", methods: ["GET", "PUT", "PATCH", "DELETE"] },
  { path: "/api/v1/access/explain", methods: ["POST"] },
  { path: "/api/v1/accounts", methods: ["GET", "POST"] },
  { path: "/api/v1/accounts/[id]", methods: ["GET", "PATCH"] },
  { path: "/api/v1/approval-delegations", methods: ["GET", "POST"] },
  { path: "/api/v1/approval-delegations/[id]", methods: ["GET", "DELETE"] },
  { path: "/api/v1/approval-rules", methods: ["GET", "POST"] },
  { path: "/api/v1/approval-rules/[id]", methods: ["GET", "PATCH", "DELETE"] },
  { path: "/api/v1/approval-rules/dry-run", methods: ["POST"] },
  { path: "/api/v1/approvals", methods: ["GET"] },
  { path: "/api/v1/audit/events", methods: ["GET"] },
  { path: "/api/v1/audit/export", methods: ["GET"] },
  { path: "/api/v1/audit/public-key", methods: ["GET"] },
  { path: "/api/v1/audit/verify", methods: ["GET"] },
  { path: "/api/v1/branches", methods: ["POST"] },
  { path: "/api/v1/branches/[id]", methods: ["PATCH"] },
  { path: "/api/v1/branches/[id]/addresses", methods: ["GET", "POST"] },
  { path: "/api/v1/branches/[id]/addresses/[addressId]", methods: ["PATCH", "DELETE"] },
  { path: "/api/v1/catalog/products", methods: ["GET", "POST"] },
  { path: "/api/v1/catalog/products/[id]", methods: ["GET", "PATCH", "DELETE"] },
  { path: "/api/v1/catalog/products/[id]/account-prices", methods: ["PUT", "DELETE"] },
  { path: "/api/v1/grants", methods: ["POST"] },
  { path: "/api/v1/grants/[id]", methods: ["DELETE"] },
  { path: "/api/v1/intake/channels/[id]/messages", methods: ["POST"] },
  { path: "/api/v1/intake/dead-letters", methods: ["GET"] },
  { path: "/api/v1/intake/dead-letters/[id]/discard", methods: ["POST"] },
  { path: "/api/v1/intake/dead-letters/[id]/replay", methods: ["POST"] },
  { path: "/api/v1/intake/messages/[id]", methods: ["GET"] },
  { path: "/api/v1/intake/messages/[id]/raw", methods: ["GET"] },
  { path: "/api/v1/invoices", methods: ["GET", "POST"] },
  { path: "/api/v1/invoices/[id]", methods: ["GET"] },
  { path: "/api/v1/invoices/[id]/approve", methods: ["POST"] },
  { path: "/api/v1/invoices/[id]/dispute", methods: ["POST"] },
  { path: "/api/v1/members", methods: ["GET", "POST"] },
  { path: "/api/v1/members/[id]", methods: ["GET", "PATCH", "DELETE"] },
  { path: "/api/v1/members/[id]/sessions/revoke", methods: ["POST"] },
  { path: "/api/v1/openapi.json", methods: ["GET"] },
  { path: "/api/v1/orders", methods: ["GET", "POST"] },
  { path: "/api/v1/orders/[id]", methods: ["GET", "PATCH"] },
  { path: "/api/v1/orders/[id]/approve", methods: ["POST"] },
  { path: "/api/v1/orders/[id]/cancel", methods: ["POST"] },
  { path: "/api/v1/orders/[id]/reject", methods: ["POST"] },
  { path: "/api/v1/orders/[id]/submit", methods: ["POST"] },
  { path: "/api/v1/roles", methods: ["POST"] },
  { path: "/api/v1/roles/[id]", methods: ["PATCH", "DELETE"] },
  { path: "/api/v1/sso/connections", methods: ["GET", "POST"] },
  { path: "/api/v1/sso/connections/[id]", methods: ["GET", "PATCH", "DELETE"] },
  { path: "/api/v1/sso/domains", methods: ["GET", "POST"] },
  { path: "/api/v1/sso/domains/[id]", methods: ["DELETE"] },
  { path: "/api/v1/sso/domains/[id]/verify", methods: ["POST"] },
  { path: "/api/v1/sso/mappings", methods: ["GET", "POST"] },
  { path: "/api/v1/sso/mappings/[id]", methods: ["DELETE"] },
  { path: "/api/v1/sso/mappings/dry-run", methods: ["POST"] },
];

/** The methods a route file can export (Next's HTTP_METHODS). */
export const HTTP_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"] as const;
export type ApiMethod = (typeof HTTP_METHODS)[number];

export type ApiRouteMatch = { kind: "not-found" } | { kind: "allowed" } | { kind: "method-not-allowed"; allow: string };

/**
 * What the table says about a request. HEAD is served wherever GET is and OPTIONS everywhere
 * (Next implements both), so they are always in `Allow`. Paths outside /api are not ours to judge.
 */
export function matchApiRoute(pathname: string, method: string): ApiRouteMatch | null {
  if (pathname !== "/api" && !pathname.startsWith("/api/")) return null;
  // As Next routes: a static segment wins over a dynamic one ("dry-run" over "[id]").
  const route = apiRoutes.filter((r) => matchesPattern(r.path, pathname)).sort((a, b) => staticSegments(b.path) - staticSegments(a.path))[0];
  if (!route) return { kind: "not-found" };
  const allowed = new Set<string>([...route.methods, "OPTIONS", ...(route.methods.includes("GET") ? ["HEAD"] : [])]);
  if (allowed.has(method.toUpperCase())) return { kind: "allowed" };
  return { kind: "method-not-allowed", allow: HTTP_METHODS.filter((m) => allowed.has(m)).join(", ") };
}

function staticSegments(pattern: string): number {
  return pattern.split("/").filter((s) => s && !s.startsWith("[")).length;
}

// "[id]" is one non-empty segment, "[...name]" one or more; anything else matches itself.
// Compared on the path as sent (still percent-encoded), segment by segment.
function matchesPattern(pattern: string, pathname: string): boolean {
  const want = pattern.split("/").slice(1);
  const got = pathname.replace(/\/+$/, "").split("/").slice(1);
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (/^\[\.\.\.\w+\]$/.test(segment)) return got.length > i && got.slice(i).every((s) => s !== "");
    if (got[i] === undefined || got[i] === "") return false;
    if (!/^\[\w+\]$/.test(segment) && segment !== got[i]) return false;
  }
  return got.length === want.length;
}

/**
 * The answer proxy.ts gives in place of the route, or null to let the request through: a 404
 * for a path no route serves, a 405 with `Allow` for a method the route does not serve.
 */
export function answerUnservedApiRequest(pathname: string, method: string, requestId: string): Response | null {
  const match = matchApiRoute(pathname, method);
  if (!match || match.kind === "allowed") return null;
  const headers: Record<string, string> = { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store" };
  // A SCIM client reads the SCIM Error schema (RFC 7644 §3.12), not problem+json.
  if (match.kind === "not-found" && pathname.startsWith("/api/scim/")) {
    const body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404", detail: "No SCIM endpoint has this path; see /api/scim/v2/ResourceTypes." };
    return new Response(JSON.stringify(body), { status: 404, headers: { "Content-Type": "application/scim+json; charset=utf-8", "Cache-Control": "no-store" } });
  }
  if (match.kind === "not-found") {
    return new Response(JSON.stringify(buildProblem({ status: 404, detail: "No API route has this path; see /api/v1/openapi.json." }, pathname, requestId)), { status: 404, headers });
  }
  const detail = `This route does not serve ${method.toUpperCase().slice(0, 16)}; it serves ${match.allow}.`;
  return new Response(JSON.stringify(buildProblem({ status: 405, detail }, pathname, requestId)), { status: 405, headers: { ...headers, Allow: match.allow } });
}
