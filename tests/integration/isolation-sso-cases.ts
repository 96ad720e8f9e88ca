import * as connectionList from "@/app/api/v1/sso/connections/route";
import * as connectionItem from "@/app/api/v1/sso/connections/[id]/route";
import * as domainList from "@/app/api/v1/sso/domains/route";
import * as domainItem from "@/app/api/v1/sso/domains/[id]/route";
import * as domainVerify from "@/app/api/v1/sso/domains/[id]/verify/route";
import * as mappingList from "@/app/api/v1/sso/mappings/route";
import * as mappingItem from "@/app/api/v1/sso/mappings/[id]/route";
import * as mappingDryRun from "@/app/api/v1/sso/mappings/dry-run/route";
import { callRoute } from "./isolation-world";
import { answer, h, type RouteCase } from "./isolation-route-case";

/**
 * The isolation table's SSO rows (isolation.test.ts spreads them in). SSO is configured at the
 * org root with sso:manage, so there is no wrong branch. Another org's connection, domain or rule
 * is 404 before anything else; a member without sso:manage gets 403; and every write with a
 * token is 403, since changing sign-in needs a second-factor step-up a token cannot present (the
 * same rule as admin-class grants): so a write naming another org's id in its body, or trying to
 * hand out more, is refused before the body is looked at.
 */
const listExcludes = (res: { status: number; body?: unknown }, ...ids: string[]) => ({ status: res.status === 200 && !ids.some((id) => JSON.stringify(res.body).includes(id)) ? 200 : 599, body: res.body });
const oidc = { protocol: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s" };

const lists = [
  ["connections", connectionList.GET, "connection"],
  ["domains", domainList.GET, "domain"],
  ["mappings", mappingList.GET, "mapping"],
] as const;

const itemWrites = [
  ["app/api/v1/sso/connections/[id]/route.ts", "PATCH", connectionItem.PATCH, "connection", { name: "Hijacked" }],
  ["app/api/v1/sso/connections/[id]/route.ts", "DELETE", connectionItem.DELETE, "connection", undefined],
  ["app/api/v1/sso/domains/[id]/route.ts", "DELETE", domainItem.DELETE, "domain", undefined],
  ["app/api/v1/sso/domains/[id]/verify/route.ts", "POST", domainVerify.POST, "domain", undefined],
  ["app/api/v1/sso/mappings/[id]/route.ts", "DELETE", mappingItem.DELETE, "mapping", undefined],
] as const;

export const ssoRouteCases: RouteCase[] = [
  ...lists.map(
    ([kind, handler, key]): RouteCase => ({
      file: `app/api/v1/sso/${kind}/route.ts`,
      method: "GET",
      wrongOrg: async (w) => listExcludes(await answer(await callRoute(h(handler), w.a.tokens.admin, "GET", `/api/v1/sso/${kind}`)), w.b.sso[key]),
      wrongBranch: "n/a",
      tooLittle: async (w) => answer(await callRoute(h(handler), w.a.tokens.manager, "GET", `/api/v1/sso/${kind}`)),
      expect: { wrongOrg: 200, tooLittle: 403 },
    }),
  ),
  {
    file: "app/api/v1/sso/connections/[id]/route.ts",
    method: "GET",
    wrongOrg: async (w) => answer(await callRoute(h(connectionItem.GET), w.a.tokens.admin, "GET", "/api/v1/sso/connections/x", { params: { id: w.b.sso.connection } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(connectionItem.GET), w.a.tokens.manager, "GET", "/api/v1/sso/connections/x", { params: { id: w.a.sso.connection } })),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
  ...itemWrites.map(
    ([file, method, handler, key, body]): RouteCase => ({
      file,
      method,
      wrongOrg: async (w) => answer(await callRoute(h(handler), w.a.tokens.admin, method, "/api/v1/sso/x/y", { params: { id: w.b.sso[key] }, body })),
      wrongBranch: "n/a",
      tooLittle: async (w) => answer(await callRoute(h(handler), w.a.tokens.manager, method, "/api/v1/sso/x/y", { params: { id: w.a.sso[key] }, body })),
      ...(method === "PATCH" ? { selfEscalation: async (w) => answer(await callRoute(h(handler), w.a.tokens.admin, method, "/api/v1/sso/x/y", { params: { id: w.a.sso[key] }, body: { defaultRoleId: w.a.roles.admin } })) } : {}),
      expect: { wrongOrg: 404, tooLittle: 403, selfEscalation: 403 },
    }),
  ),
  {
    file: "app/api/v1/sso/connections/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(connectionList.POST), w.a.tokens.admin, "POST", "/api/v1/sso/connections", { body: { ...oidc, defaultRoleId: w.b.roles.viewer } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(connectionList.POST), w.a.tokens.manager, "POST", "/api/v1/sso/connections", { body: oidc })),
    selfEscalation: async (w) => answer(await callRoute(h(connectionList.POST), w.a.tokens.admin, "POST", "/api/v1/sso/connections", { body: { ...oidc, defaultRoleId: w.a.roles.admin } })),
    expect: { wrongOrg: 403, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/sso/domains/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(domainList.POST), w.a.tokens.admin, "POST", "/api/v1/sso/domains", { body: { connectionId: w.b.sso.connection, domain: "smuggled.example.test" } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(domainList.POST), w.a.tokens.manager, "POST", "/api/v1/sso/domains", { body: { connectionId: w.a.sso.connection, domain: "nope.example.test" } })),
    // The operator's override is the operator's alone.
    selfEscalation: async (w) => answer(await callRoute(h(domainList.POST), w.a.tokens.admin, "POST", "/api/v1/sso/domains", { body: { connectionId: w.a.sso.connection, domain: "mine.example.test", verifiedByOperator: true } })),
    expect: { wrongOrg: 403, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/sso/mappings/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(mappingList.POST), w.a.tokens.admin, "POST", "/api/v1/sso/mappings", { body: { connectionId: w.b.sso.connection, claim: "groups", value: "x", roleId: w.b.roles.viewer } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(mappingList.POST), w.a.tokens.manager, "POST", "/api/v1/sso/mappings", { body: { connectionId: w.a.sso.connection, claim: "groups", value: "x", roleId: w.a.roles.viewer } })),
    selfEscalation: async (w) => answer(await callRoute(h(mappingList.POST), w.a.tokens.admin, "POST", "/api/v1/sso/mappings", { body: { connectionId: w.a.sso.connection, claim: "groups", value: "everyone", roleId: w.a.roles.admin } })),
    expect: { wrongOrg: 403, tooLittle: 403, selfEscalation: 403 },
  },
  {
    file: "app/api/v1/sso/mappings/dry-run/route.ts",
    method: "POST",
    wrongOrg: async (w) => answer(await callRoute(h(mappingDryRun.POST), w.a.tokens.admin, "POST", "/api/v1/sso/mappings/dry-run", { body: { connectionId: w.b.sso.connection, claims: { groups: ["viewers"] } } })),
    wrongBranch: "n/a",
    tooLittle: async (w) => answer(await callRoute(h(mappingDryRun.POST), w.a.tokens.manager, "POST", "/api/v1/sso/mappings/dry-run", { body: { connectionId: w.a.sso.connection, claims: { groups: ["viewers"] } } })),
    expect: { wrongOrg: 404, tooLittle: 403 },
  },
];
