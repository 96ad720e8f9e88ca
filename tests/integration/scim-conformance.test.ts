import { describe, expect, it } from "vitest";
import * as groupItem from "@/app/api/scim/v2/Groups/[id]/route";
import * as groupList from "@/app/api/scim/v2/Groups/route";
import * as userItem from "@/app/api/scim/v2/Users/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import entraCompat from "../fixtures/scim/entra-scim-compatibility.json";
import entra from "../fixtures/scim/entra-scim-tutorial.json";
import okta from "../fixtures/scim/okta-scim-20-reference.json";
import { callScim } from "../support/scim-client";
import { scimWorld } from "../support/scim-world";

/**
 * The SCIM steps of Okta's published SCIM 2.0 test specification, and Entra's documented request
 * shapes (legacy and aadOptscim062020), end to end through the route handlers, with the vendors'
 * own bodies (tests/fixtures/scim/README.md says where each comes from).
 */
type World = Awaited<ReturnType<typeof scimWorld>>;
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const q = (filter: string) => `filter=${encodeURIComponent(filter)}`;
const swapIds = (body: unknown, ids: Record<string, string>) => JSON.parse(Object.entries(ids).reduce((text, [from, to]) => text.split(from).join(to), JSON.stringify(body)));

async function send(w: World, handler: unknown, method: string, path: string, body?: unknown) {
  const id = path.split("/")[2]?.split("?")[0];
  const res = await callScim(handler, w.token, method, path, { ...(id ? { params: { id } } : {}), ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

describe("Okta's SCIM 2.0 test specification", () => {
  it("walks the spec's user steps: list with count/startIndex, filter (missing, then found, case-insensitively), create, read, duplicate 409, deactivate, unknown id 404", async () => {
    const w = await scimWorld();
    const first = await send(w, userList.GET, "GET", "/Users?count=1&startIndex=1");
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    const missing = await send(w, userList.GET, "GET", `/Users?${q(`userName eq "${okta.createUser.userName}"`)}`);
    expect(missing.json.totalResults).toBe(0);
    const created = await send(w, userList.POST, "POST", "/Users", okta.createUser);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ active: true, userName: okta.createUser.userName, name: okta.createUser.name, emails: okta.createUser.emails, externalId: okta.createUser.externalId });
    expect(created.json.id).toMatch(/^[0-9a-f-]{36}$/);
    const id = created.json.id as string;
    const read = await send(w, userItem.GET, "GET", `/Users/${id}`);
    expect(read.json).toMatchObject({ id, userName: okta.createUser.userName });
    const found = await send(w, userList.GET, "GET", `/Users?${q(`userName eq "${okta.createUser.userName.toUpperCase()}"`)}&startIndex=1&count=100`);
    expect(found.json.totalResults).toBe(1);
    expect(found.json.Resources[0].id).toBe(id);
    const duplicate = await send(w, userList.POST, "POST", "/Users", okta.createUser);
    expect(duplicate.status).toBe(409);
    expect(duplicate.json).toMatchObject({ schemas: [ERROR], scimType: "uniqueness" });
    const put = await send(w, userItem.PUT, "PUT", `/Users/${id}`, swapIds(okta.putUser, { [okta.putUser.id]: id }));
    expect(put.status).toBe(200);
    expect(put.json.name).toEqual({ givenName: "Another", middleName: "Excited", familyName: "User" });
    const deactivated = await send(w, userItem.PATCH, "PATCH", `/Users/${id}`, okta.deactivateUser);
    expect(deactivated.status).toBe(200);
    expect(deactivated.json.active).toBe(false);
    expect((await send(w, userItem.GET, "GET", `/Users/${id}`)).json.active).toBe(false);
    const unknown = await send(w, userItem.GET, "GET", `/Users/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.schemas).toEqual([ERROR]);
  });

  it("walks the group steps: create, rename with a path-less value, membership by remove members[value eq] + add, full replace", async () => {
    const w = await scimWorld();
    const u1 = (await send(w, userList.POST, "POST", "/Users", okta.createUser)).json.id as string;
    const u2 = (await send(w, userList.POST, "POST", "/Users", { ...okta.createUser, userName: `second.${okta.createUser.userName}`, externalId: "00u2" })).json.id as string;
    const created = await send(w, groupList.POST, "POST", "/Groups", okta.createGroup);
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const ids = { [okta.renameGroup.Operations[0]!.value.id]: id, "23a35c27-23d3-4c03-b4c5-6443c09e7173": u1, "89bb1940-b905-4575-9e7f-6f887cfb368e": u2 };
    expect((await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, swapIds(okta.renameGroup, ids))).status).toBe(200);
    const membership = await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, swapIds(okta.updateGroupMembership, ids));
    expect(membership.status).toBe(200);
    expect(membership.json.members.map((m: { value: string }) => m.value)).toEqual([u1]);
    const replaced = await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, swapIds(okta.replaceGroupMembers, ids));
    expect(replaced.json.members.map((m: { value: string }) => m.value).sort()).toEqual([u1, u2].sort());
    const listed = await send(w, groupList.GET, "GET", `/Groups?${q(`displayName eq "${okta.createGroup.displayName}"`)}&excludedAttributes=members`);
    expect(listed.json.totalResults).toBe(1);
    expect((await send(w, groupItem.DELETE, "DELETE", `/Groups/${id}`)).status).toBe(204);
  });
});

describe("Entra's documented request shapes", () => {
  it("user operations: create with the enterprise schema, filter by userName and externalId, multi- and single-valued PATCH, disable (both forms), delete then 404", async () => {
    const w = await scimWorld();
    expect((await send(w, userList.GET, "GET", `/Users?${q(`userName eq "${entra.createUser.userName}"`)}`)).json.totalResults).toBe(0);
    const created = await send(w, userList.POST, "POST", "/Users", entra.createUser);
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect((await send(w, userList.GET, "GET", `/Users?${q(`externalId eq "${entra.createUser.externalId}"`)}`)).json.Resources[0].id).toBe(id);
    const multi = await send(w, userItem.PATCH, "PATCH", `/Users/${id}`, entra.updateUserMultiValued);
    expect(multi.status).toBe(200);
    expect(multi.json.emails[0].value).toBe("updatedEmail@microsoft.com");
    expect(multi.json.name.familyName).toBe("updatedFamilyName");
    const single = await send(w, userItem.PATCH, "PATCH", `/Users/${id}`, entra.updateUserSingleValued);
    expect(single.json.userName).toBe(entra.updateUserSingleValued.Operations[0]!.value);
    for (const body of [entraCompat.addSingleValueString.legacy, entraCompat.addSingleValueString.aadOptscim062020, entraCompat.replaceMultipleAttributes.legacy, entraCompat.replaceMultipleAttributes.aadOptscim062020]) {
      const res = await send(w, userItem.PATCH, "PATCH", `/Users/${id}`, body);
      expect(res.status, JSON.stringify(res.json)).toBe(200);
    }
    const after = (await send(w, userItem.GET, "GET", `/Users/${id}`)).json;
    // The legacy form set externalId; the aadOptscim062020 one, applied last, the dotted path-less keys.
    expect(after).toMatchObject({ nickName: "Babs", externalId: "Eqpj", displayName: "Bjfe", name: { givenName: "Kkom", familyName: "Unua" }, emails: [expect.objectContaining({ value: "TestMhvaes@test.microsoft.com" })] });
    expect(after["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].employeeNumber).toBe("Aklq");
    for (const body of [entra.disableUser, entraCompat.disableUser.legacy, entraCompat.disableUser.aadOptscim062020]) {
      const res = await send(w, userItem.PATCH, "PATCH", `/Users/${id}`, body);
      expect(res.status).toBe(200);
      expect(res.json.active).toBe(false);
    }
    expect((await send(w, userItem.DELETE, "DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await send(w, userItem.GET, "GET", `/Users/${id}`)).status).toBe(404);
  });

  it("group operations: create (with a schema URN we do not serve), rename, add and remove members (legacy value list and aadOptscim062020 path)", async () => {
    const w = await scimWorld();
    const u1 = (await send(w, userList.POST, "POST", "/Users", entra.createUser)).json.id as string;
    const created = await send(w, groupList.POST, "POST", "/Groups", entra.createGroup);
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id as string;
    expect((await send(w, groupList.GET, "GET", `/Groups?excludedAttributes=members&${q(`displayName eq "${entra.createGroup.displayName}"`)}`)).json.totalResults).toBe(1);
    expect((await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, entra.updateGroupNonMember)).json.displayName).toBe(entra.updateGroupNonMember.Operations[0]!.value);
    const ids = { f648f8d5ea4e4cd38e9c: u1, u1091: u1, "7f4bc1a3-285e-48ae-8202-5accb43efb0e": u1 };
    const members = async () => ((await send(w, groupItem.GET, "GET", `/Groups/${id}`)).json.members as Array<{ value: string }>).map((m) => m.value);
    expect((await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, swapIds(entra.updateGroupAddMembers, ids))).status).toBe(200);
    expect(await members()).toEqual([u1]);
    expect((await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, swapIds(entra.updateGroupRemoveMembers, ids))).status).toBe(200);
    expect(await members()).toEqual([]);
    for (const body of [entraCompat.removeGroupMember.legacy, entraCompat.removeGroupMember.aadOptscim062020]) {
      await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, swapIds(entra.updateGroupAddMembers, ids));
      expect(await members()).toEqual([u1]);
      expect((await send(w, groupItem.PATCH, "PATCH", `/Groups/${id}`, swapIds(body, ids))).status).toBe(200);
      expect(await members()).toEqual([]);
    }
  });
});
