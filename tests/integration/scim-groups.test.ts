import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as groupItem from "@/app/api/scim/v2/Groups/[id]/route";
import * as groupList from "@/app/api/scim/v2/Groups/route";
import * as groupSearch from "@/app/api/scim/v2/Groups/.search/route";
import * as userItem from "@/app/api/scim/v2/Users/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import { grants, roles, scimUsers } from "@/db/schema";
import { operatorDb } from "../support/as-operator";
import { unique } from "../support/factories";
import { callScim } from "../support/scim-client";
import { oktaUser, scimWorld } from "../support/scim-world";

type World = Awaited<ReturnType<typeof scimWorld>>;
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function user(w: World): Promise<string> {
  const res = await callScim(userList.POST, w.token, "POST", "/Users", { body: oktaUser(w.domain) });
  return ((await res.json()) as { id: string }).id;
}

async function group(w: World, displayName: string, members: string[] = []) {
  const res = await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) } });
  return { res, json: (await res.json()) as { id: string; members?: Array<{ value: string }>; meta: { version: string; location: string } } };
}

const rolesOf = async (scimUserId: string) => {
  const [row] = await operatorDb().select({ membershipId: scimUsers.membershipId }).from(scimUsers).where(eq(scimUsers.id, scimUserId));
  const held = await operatorDb().select({ role: roles.name }).from(grants).innerJoin(roles, eq(roles.id, grants.roleId)).where(eq(grants.membershipId, row!.membershipId!));
  return held.map((h) => h.role).sort();
};

const patchGroup = (w: World, id: string, operations: unknown[]) =>
  callScim(groupItem.PATCH, w.token, "PATCH", `/Groups/${id}`, { params: { id }, body: { schemas: [PATCH_OP], Operations: operations } });

describe("SCIM Groups", () => {
  it("Okta's group steps: create with members (201, Location), read, rename by PUT, add and remove members by PATCH, delete; grants follow the mapping rule on the name", async () => {
    const w = await scimWorld();
    const [u1, u2] = [await user(w), await user(w)];
    const created = await group(w, "Buyers", [u1]);
    expect(created.res.status).toBe(201);
    expect(created.res.headers.get("location")).toBe(created.json.meta.location);
    expect(created.json.members!.map((m) => m.value)).toEqual([u1]);
    expect(await rolesOf(u1)).toEqual(["Buyer"]);
    const id = created.json.id;
    // The user's groups attribute is the server's: it shows the membership.
    const u1Doc = await (await callScim(userItem.GET, w.token, "GET", `/Users/${u1}`, { params: { id: u1 } })).json();
    expect(u1Doc.groups).toEqual([expect.objectContaining({ value: id, display: "Buyers" })]);
    // Okta adds a member with a PATCH.
    expect((await patchGroup(w, id, [{ op: "add", path: "members", value: [{ value: u2, display: "x" }] }])).status).toBe(200);
    expect(await rolesOf(u2)).toEqual(["Buyer"]);
    // Okta removes one with a value-filtered path.
    expect((await patchGroup(w, id, [{ op: "remove", path: `members[value eq "${u1}"]` }])).status).toBe(200);
    expect(await rolesOf(u1)).toEqual([]);
    // Okta's PUT with members renames: the rule no longer matches.
    const put = await callScim(groupItem.PUT, w.token, "PUT", `/Groups/${id}`, { params: { id }, body: { schemas: [GROUP], id, displayName: "Former buyers", members: [{ value: u2 }] } });
    expect(put.status).toBe(200);
    expect((await put.json()).displayName).toBe("Former buyers");
    expect(await rolesOf(u2)).toEqual([]);
    expect((await patchGroup(w, id, [{ op: "replace", value: { displayName: "Buyers" } }])).status).toBe(200);
    expect(await rolesOf(u2)).toEqual(["Buyer"]);
    const deleted = await callScim(groupItem.DELETE, w.token, "DELETE", `/Groups/${id}`, { params: { id } });
    expect(deleted.status).toBe(204);
    expect((await callScim(groupItem.GET, w.token, "GET", `/Groups/${id}`, { params: { id } })).status).toBe(404);
    expect(await rolesOf(u2)).toEqual([]);
  });

  it("Entra's member removal as path members with a value array, and its capitalised ops", async () => {
    const w = await scimWorld();
    const [u1, u2, u3] = [await user(w), await user(w), await user(w)];
    const { json } = await group(w, "Buyers", [u1, u2, u3]);
    const res = await patchGroup(w, json.id, [{ op: "Remove", path: "members", value: [{ value: u1 }, { value: u3 }] }]);
    expect(res.status).toBe(200);
    expect((await res.json()).members.map((m: { value: string }) => m.value)).toEqual([u2]);
    expect(await rolesOf(u1)).toEqual([]);
    expect(await rolesOf(u2)).toEqual(["Buyer"]);
    expect((await patchGroup(w, json.id, [{ op: "Add", path: "members", value: [{ value: u1 }] }])).status).toBe(200);
    expect(await rolesOf(u1)).toEqual(["Buyer"]);
  });

  it("lists with filters (displayName case-insensitively, members.value), excludedAttributes=members, and paging", async () => {
    const w = await scimWorld();
    const u = await user(w);
    const a = await group(w, `Alpha ${unique("g")}`, [u]);
    await group(w, `Beta ${unique("g")}`);
    const list = async (q: string) => (await callScim(groupList.GET, w.token, "GET", `/Groups?${q}`)).json();
    const byName = await list(`filter=${encodeURIComponent(`displayName sw "alpha"`)}&excludedAttributes=members`);
    expect(byName.totalResults).toBe(1);
    expect(byName.Resources[0]).not.toHaveProperty("members");
    const byMember = await list(`filter=${encodeURIComponent(`members[value eq "${u}"]`)}`);
    expect(byMember.Resources.map((g: { id: string }) => g.id)).toEqual([a.json.id]);
    const page = await list("sortBy=displayName&sortOrder=descending&count=1");
    expect(page).toMatchObject({ totalResults: 2, itemsPerPage: 1 });
    expect(page.Resources[0].displayName).toMatch(/^Beta/);
    const searched = await (await callScim(groupSearch.POST, w.token, "POST", "/Groups/.search", { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: `displayName sw "ALPHA"`, excludedAttributes: ["members"] } })).json();
    expect(searched.Resources.map((g: { id: string }) => g.id)).toEqual([a.json.id]);
    expect(searched.Resources[0]).not.toHaveProperty("members");
  });

  it("refuses a duplicate name (409), another org's user as a member (400), nested groups and stale If-Match (412); another org's group is 404", async () => {
    const w = await scimWorld();
    const other = await scimWorld("Other");
    const theirs = await user(other);
    const theirGroup = await group(other, "Theirs");
    const { json } = await group(w, "Buyers");
    expect((await group(w, "buyers")).res.status).toBe(409);
    const foreign = await group(w, "Foreign", [theirs]);
    expect(foreign.res.status).toBe(400);
    expect(foreign.json).toMatchObject({ scimType: "invalidValue" });
    const nested = await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { schemas: [GROUP], displayName: "Nest", members: [{ value: json.id, type: "Group" }] } });
    expect(nested.status).toBe(400);
    expect((await patchGroup(w, json.id, [{ op: "add", path: "members", value: [{ value: theirs }] }])).status).toBe(400);
    const stale = await callScim(groupItem.PATCH, w.token, "PATCH", `/Groups/${json.id}`, { params: { id: json.id }, headers: { "if-match": 'W/"999"' }, body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "X" }] } });
    expect(stale.status).toBe(412);
    for (const [handler, method] of [[groupItem.GET, "GET"], [groupItem.DELETE, "DELETE"]] as const) {
      expect((await callScim(handler, w.token, method, `/Groups/${theirGroup.json.id}`, { params: { id: theirGroup.json.id } })).status).toBe(404);
    }
    expect((await patchGroup(w, theirGroup.json.id, [{ op: "replace", path: "displayName", value: "Mine" }])).status).toBe(404);
    const [count] = await operatorDb().execute<{ n: number }>(sql`select count(*)::int as n from scim_group_members where group_id = ${theirGroup.json.id}`);
    expect(count!.n).toBe(0);
  });
});
