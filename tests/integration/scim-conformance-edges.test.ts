import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as bulkRoute from "@/app/api/scim/v2/Bulk/route";
import * as groupItem from "@/app/api/scim/v2/Groups/[id]/route";
import * as groupList from "@/app/api/scim/v2/Groups/route";
import * as resourceTypeItem from "@/app/api/scim/v2/ResourceTypes/[id]/route";
import * as resourceTypes from "@/app/api/scim/v2/ResourceTypes/route";
import * as schemaItem from "@/app/api/scim/v2/Schemas/[id]/route";
import * as schemas from "@/app/api/scim/v2/Schemas/route";
import * as configRoute from "@/app/api/scim/v2/ServiceProviderConfig/route";
import * as meRoute from "@/app/api/scim/v2/Me/route";
import * as userItem from "@/app/api/scim/v2/Users/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import { unique } from "../support/factories";
import { callScim } from "../support/scim-client";
import { oktaUser, scimWorld } from "../support/scim-world";

/**
 * The RFC 7643/7644 details a conformance runner checks beyond the IdPs' happy paths: discovery
 * documents and their 405s, list parameters at their edges (RFC 7644 §3.4.2.4: startIndex < 1 is
 * 1, count < 0 is 0), operators and attribute names in any case (§3.4.2.2), attribute
 * projection, sorting, PUT and PATCH conflicts, repeated DELETEs, and unauthenticated calls.
 */

type World = Awaited<ReturnType<typeof scimWorld>>;
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const enc = (filter: string) => encodeURIComponent(filter);

async function read(res: Response) {
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), json: text ? (JSON.parse(text) as Record<string, unknown> & { Resources?: Array<Record<string, unknown>>; totalResults?: number }) : null };
}

const list = async (w: World, qs: string) => read(await callScim(userList.GET, w.token, "GET", `/Users?${qs}`));

async function users(w: World, n: number): Promise<Array<{ id: string; userName: string }>> {
  const made: Array<{ id: string; userName: string }> = [];
  for (let i = 0; i < n; i++) {
    const userName = `${String.fromCharCode(97 + i)}-${unique("edge")}@${w.domain}`;
    const res = await read(await callScim(userList.POST, w.token, "POST", "/Users", { body: oktaUser(w.domain, { userName }) }));
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    made.push({ id: res.json!.id as string, userName });
  }
  return made;
}

function expectError(res: { status: number; type: string | null; json: Record<string, unknown> | null }, status: number, scimType?: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.type).toMatch(/^application\/scim\+json/);
  expect(res.json).toMatchObject({ schemas: [ERROR], status: String(status) });
  if (scimType) expect(res.json!.scimType).toBe(scimType);
}

describe("SCIM conformance details", () => {
  it("discovery: ServiceProviderConfig, ResourceTypes and Schemas answer GET (each by id too) and 405 to writes, in the SCIM Error schema", async () => {
    const w = await scimWorld();
    const config = await read(await callScim(configRoute.GET, w.token, "GET", "/ServiceProviderConfig"));
    expect(config.json).toMatchObject({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"], bulk: { supported: true, maxOperations: expect.any(Number), maxPayloadSize: expect.any(Number) }, etag: { supported: true }, sort: { supported: true } });
    const types = await read(await callScim(resourceTypes.GET, w.token, "GET", "/ResourceTypes"));
    expect((types.json!.Resources ?? []).map((r) => r.id).sort()).toEqual(["Group", "User"]);
    expect((await read(await callScim(resourceTypeItem.GET, w.token, "GET", "/ResourceTypes/User", { params: { id: "User" } }))).json).toMatchObject({ endpoint: "/Users" });
    const all = await read(await callScim(schemas.GET, w.token, "GET", "/Schemas"));
    const ids = (all.json!.Resources ?? []).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]));
    const user = await read(await callScim(schemaItem.GET, w.token, "GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", { params: { id: "urn:ietf:params:scim:schemas:core:2.0:User" } }));
    expect(user.json!.attributes).toEqual(expect.arrayContaining([expect.objectContaining({ name: "userName", uniqueness: "server", caseExact: false })]));
    expectError(await read(await callScim(schemaItem.GET, w.token, "GET", "/Schemas/urn:nosuch", { params: { id: "urn:nosuch" } })), 404);
    for (const handler of [configRoute.POST, resourceTypes.POST, schemas.POST, bulkRoute.GET]) expectError(await read(await callScim(handler, w.token, "POST", "/x", { body: {} })), 405);
  });

  it("no token, a wrong token, or a token for another scheme: 401 in the SCIM Error schema, with a Bearer challenge", async () => {
    const w = await scimWorld();
    for (const headers of [{} as Record<string, string>, { authorization: "Bearer scim_not-a-real-token" }, { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }]) {
      const res = await callScim(userList.GET, null, "GET", "/Users", { headers });
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expectError(await read(res), 401);
    }
    expect((await callScim(userList.GET, w.token, "GET", "/Users")).status).toBe(200);
  });

  it("list parameters at their edges: startIndex 0 or negative is 1, count 0 gives the total alone, a negative count is 0, count above maxResults is capped", async () => {
    const w = await scimWorld();
    await users(w, 3);
    const zero = await list(w, "startIndex=0&count=2");
    expect(zero.json).toMatchObject({ totalResults: 3, startIndex: 1, itemsPerPage: 2 });
    expect((await list(w, "startIndex=-5&count=1")).json).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    const none = await list(w, "count=0");
    expect(none.json).toMatchObject({ totalResults: 3, itemsPerPage: 0 });
    expect(none.json!.Resources ?? []).toEqual([]);
    expect((await list(w, "count=-1")).json).toMatchObject({ totalResults: 3, itemsPerPage: 0 });
    const config = (await read(await callScim(configRoute.GET, w.token, "GET", "/ServiceProviderConfig"))).json as { filter: { maxResults: number } };
    const capped = await list(w, `count=${config.filter.maxResults + 1000}`);
    expect(capped.status).toBe(200);
    expect(capped.json!.itemsPerPage).toBeLessThanOrEqual(config.filter.maxResults);
    const third = await list(w, "sortBy=userName&startIndex=3&count=5");
    expect(third.json).toMatchObject({ totalResults: 3, startIndex: 3, itemsPerPage: 1 });
  });

  it("filters: operators and attribute names in any case, value paths, pr, meta dates, not; sortBy userName both ways", async () => {
    const w = await scimWorld();
    const [a, b, c] = await users(w, 3);
    const ids = async (filter: string, extra = "") => ((await list(w, `filter=${enc(filter)}${extra}`)).json!.Resources ?? []).map((r) => r.id);
    expect(await ids(`USERNAME EQ "${a!.userName.toUpperCase()}"`)).toEqual([a!.id]);
    expect(await ids(`userName Sw "${b!.userName.slice(0, 6)}"`)).toEqual([b!.id]);
    expect(await ids(`emails[type eq "work" and value ew "@${w.domain}"]`, "&sortBy=userName")).toEqual([a!.id, b!.id, c!.id]);
    expect(await ids(`emails.value co "${c!.userName.split("@")[0]}"`)).toEqual([c!.id]);
    expect(await ids(`not (userName eq "${a!.userName}") and active eq true`, "&sortBy=userName&sortOrder=descending")).toEqual([c!.id, b!.id]);
    expect((await ids("title pr")).length).toBe(0);
    expect((await ids("externalId pr")).length).toBe(3);
    expect((await ids(`meta.lastModified gt "2000-01-01T00:00:00Z"`)).length).toBe(3);
    expect((await ids(`meta.created lt "2000-01-01T00:00:00Z"`)).length).toBe(0);
    expect(await ids(`id eq "${b!.id}"`)).toEqual([b!.id]);
  });

  it("attributes and excludedAttributes: id and schemas always returned, the rest as asked, on lists and single reads", async () => {
    const w = await scimWorld();
    const [a] = await users(w, 1);
    const only = (await list(w, `attributes=userName&filter=${enc(`id eq "${a!.id}"`)}`)).json!.Resources![0]!;
    expect(only).toMatchObject({ id: a!.id, userName: a!.userName });
    expect(only).toHaveProperty("schemas");
    expect(only).not.toHaveProperty("emails");
    expect(only).not.toHaveProperty("name");
    const sub = (await read(await callScim(userItem.GET, w.token, "GET", `/Users/${a!.id}?attributes=name.familyName,emails.value`, { params: { id: a!.id } }))).json!;
    expect(sub.name).toEqual({ familyName: "User" });
    expect(sub.emails).toEqual([{ value: a!.userName }]);
    const without = (await read(await callScim(userItem.GET, w.token, "GET", `/Users/${a!.id}?excludedAttributes=emails,name`, { params: { id: a!.id } }))).json!;
    expect(without).toMatchObject({ id: a!.id, userName: a!.userName });
    expect(without).not.toHaveProperty("emails");
    expect(without).not.toHaveProperty("name");
  });

  it("conflicts and gone resources: PUT or PATCH to another user's userName is 409; DELETE twice, and PATCH or PUT after DELETE, are 404", async () => {
    const w = await scimWorld();
    const [a, b] = await users(w, 2);
    const put = await read(await callScim(userItem.PUT, w.token, "PUT", `/Users/${b!.id}`, { params: { id: b!.id }, body: oktaUser(w.domain, { userName: a!.userName.toUpperCase() }) }));
    expectError(put, 409, "uniqueness");
    const patch = await read(await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${b!.id}`, { params: { id: b!.id }, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "userName", value: a!.userName }] } }));
    expectError(patch, 409, "uniqueness");
    expect((await read(await callScim(userItem.GET, w.token, "GET", `/Users/${b!.id}`, { params: { id: b!.id } }))).json!.userName).toBe(b!.userName);
    expect((await callScim(userItem.DELETE, w.token, "DELETE", `/Users/${b!.id}`, { params: { id: b!.id } })).status).toBe(204);
    expectError(await read(await callScim(userItem.DELETE, w.token, "DELETE", `/Users/${b!.id}`, { params: { id: b!.id } })), 404);
    expectError(await read(await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${b!.id}`, { params: { id: b!.id }, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] } })), 404);
    expectError(await read(await callScim(userItem.PUT, w.token, "PUT", `/Users/${b!.id}`, { params: { id: b!.id }, body: oktaUser(w.domain) })), 404);
    expectError(await read(await callScim(groupItem.DELETE, w.token, "DELETE", `/Groups/${randomUUID()}`, { params: { id: randomUUID() } })), 404);
  });

  it("PATCH refusals: an unknown op, no Operations, remove without a path, removing the required userName; a group member that is no user; nothing changes", async () => {
    const w = await scimWorld();
    const [a] = await users(w, 1);
    const patch = async (body: unknown) => read(await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${a!.id}`, { params: { id: a!.id }, body }));
    expectError(await patch({ schemas: [PATCH_OP], Operations: [{ op: "frobnicate", path: "title", value: "x" }] }), 400);
    expectError(await patch({ schemas: [PATCH_OP] }), 400);
    expectError(await patch({ schemas: [PATCH_OP], Operations: [{ op: "remove" }] }), 400, "noTarget");
    expectError(await patch({ schemas: [PATCH_OP], Operations: [{ op: "remove", path: "userName" }] }), 400);
    const group = await read(await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: unique("G"), members: [{ value: randomUUID() }] } }));
    expectError(group, 400);
    const after = (await read(await callScim(userItem.GET, w.token, "GET", `/Users/${a!.id}`, { params: { id: a!.id } }))).json!;
    expect(after).toMatchObject({ userName: a!.userName, active: true });
    expect(after).not.toHaveProperty("title");
  });

  it("a group's members show in the user's groups attribute, and a group filter by members.value finds it", async () => {
    const w = await scimWorld();
    const [a] = await users(w, 1);
    const group = await read(await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Buyers", members: [{ value: a!.id }] } }));
    expect(group.status).toBe(201);
    const user = (await read(await callScim(userItem.GET, w.token, "GET", `/Users/${a!.id}`, { params: { id: a!.id } }))).json!;
    expect(user.groups).toEqual([expect.objectContaining({ value: group.json!.id, display: "Buyers" })]);
    const found = await read(await callScim(groupList.GET, w.token, "GET", `/Groups?filter=${enc(`members.value eq "${a!.id}"`)}&attributes=displayName`));
    expect(found.json!.Resources).toEqual([expect.objectContaining({ id: group.json!.id, displayName: "Buyers" })]);
    expect(found.json!.Resources![0]).not.toHaveProperty("members");
  });

  it("If-None-Match on a read: the current version (weak or strong, or *) is 304 with its ETag and no body; an old one, or another tag, gets the resource", async () => {
    const w = await scimWorld();
    const [a] = await users(w, 1);
    const get = (headers: Record<string, string>) => callScim(userItem.GET, w.token, "GET", `/Users/${a!.id}`, { params: { id: a!.id }, headers });
    const first = await get({});
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"\d+"$/);
    for (const tag of [etag, etag.replace(/^W\//, ""), "*", `W/"nope", ${etag}`]) {
      const res = await get({ "if-none-match": tag });
      expect(res.status).toBe(304);
      expect(res.headers.get("etag")).toBe(etag);
      expect(await res.text()).toBe("");
    }
    // Changed since: the client's tag is stale, so the new version comes back whole.
    const patched = await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${a!.id}`, { params: { id: a!.id }, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Buyer" }] } });
    expect(patched.status).toBe(200);
    const fresh = await read(await get({ "if-none-match": etag }));
    expect(fresh.status).toBe(200);
    expect(fresh.json).toMatchObject({ id: a!.id, title: "Buyer" });
    // Groups too.
    const group = await read(await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: unique("G") } }));
    const groupTag = (group.json!.meta as { version: string }).version;
    const again = await callScim(groupItem.GET, w.token, "GET", `/Groups/${group.json!.id}`, { params: { id: String(group.json!.id) }, headers: { "if-none-match": groupTag } });
    expect(again.status).toBe(304);
  });

  it("/Me is 501 in the SCIM Error schema for every method (a token is the org's provisioning client, not a person); without a token 401 first", async () => {
    const w = await scimWorld();
    for (const [method, handler] of [["GET", meRoute.GET], ["POST", meRoute.POST], ["PUT", meRoute.PUT], ["PATCH", meRoute.PATCH], ["DELETE", meRoute.DELETE]] as const) {
      const res = await read(await callScim(handler, w.token, method, "/Me", method === "GET" || method === "DELETE" ? {} : { body: { schemas: [] } }));
      expectError(res, 501);
      expect(String(res.json!.detail)).toContain("/Me is not supported");
    }
    expectError(await read(await callScim(meRoute.GET, null, "GET", "/Me")), 401);
  });
});
