/**
 * The SCIM routes (app/api/scim/v2) take an org's SCIM token, not a member's credential: the
 * token acts for its whole org, so there is no branch or permission dimension to probe here. Each
 * has its "another org's token" cases (404, and lists holding only the token's own org) in the
 * SCIM suites named beside it; a member's API token there is 401 (tests/integration/scim-tokens.test.ts).
 */
const users = "tests/integration/scim-users.test.ts (a token never reads or writes another org's users: 404 on every verb)";
const groups = "tests/integration/scim-groups.test.ts (another org's group is 404, its users are not members)";
const discovery = "static discovery documents (no tenant data), behind the SCIM token: tests/integration/scim-tokens.test.ts";
const refused = "answers 405 only (methodNotAllowed)";

export const scimRoutesCoveredElsewhere: Array<[string, string]> = [
  ["app/api/scim/v2/Users/route.ts GET", users],
  ["app/api/scim/v2/Users/route.ts POST", users],
  ["app/api/scim/v2/Users/.search/route.ts POST", "tests/integration/scim-users.test.ts (POST /.search reads the token's org only)"],
  ["app/api/scim/v2/Groups/.search/route.ts POST", "tests/integration/scim-groups.test.ts (POST /.search reads the token's org only)"],
  ["app/api/scim/v2/Users/[id]/route.ts GET", users],
  ["app/api/scim/v2/Users/[id]/route.ts PUT", users],
  ["app/api/scim/v2/Users/[id]/route.ts PATCH", users],
  ["app/api/scim/v2/Users/[id]/route.ts DELETE", users],
  ["app/api/scim/v2/Groups/route.ts GET", groups],
  ["app/api/scim/v2/Groups/route.ts POST", groups],
  ["app/api/scim/v2/Groups/[id]/route.ts GET", groups],
  ["app/api/scim/v2/Groups/[id]/route.ts PUT", groups],
  ["app/api/scim/v2/Groups/[id]/route.ts PATCH", groups],
  ["app/api/scim/v2/Groups/[id]/route.ts DELETE", groups],
  ["app/api/scim/v2/Bulk/route.ts POST", "tests/integration/scim-bulk.test.ts (another org's ids are 404 per operation)"],
  ["app/api/scim/v2/ServiceProviderConfig/route.ts GET", discovery],
  ["app/api/scim/v2/ResourceTypes/route.ts GET", discovery],
  ["app/api/scim/v2/ResourceTypes/[id]/route.ts GET", discovery],
  ["app/api/scim/v2/Schemas/route.ts GET", discovery],
  ["app/api/scim/v2/Schemas/[id]/route.ts GET", discovery],
  ...["ServiceProviderConfig", "ResourceTypes", "ResourceTypes/[id]", "Schemas", "Schemas/[id]"].flatMap((p) => ["POST", "PUT", "PATCH", "DELETE"].map((m): [string, string] => [`app/api/scim/v2/${p}/route.ts ${m}`, refused])),
  ...["GET", "PUT", "PATCH", "DELETE"].map((m): [string, string] => [`app/api/scim/v2/Bulk/route.ts ${m}`, refused]),
  ...["GET", "POST", "PUT", "PATCH", "DELETE"].map((m): [string, string] => [`app/api/scim/v2/Me/route.ts ${m}`, "answers 501 only, behind the SCIM token (tests/integration/scim-conformance-edges.test.ts)"]),
];
