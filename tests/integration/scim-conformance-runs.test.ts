import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as groupItem from "@/app/api/scim/v2/Groups/[id]/route";
import * as groupList from "@/app/api/scim/v2/Groups/route";
import * as configRoute from "@/app/api/scim/v2/ServiceProviderConfig/route";
import * as userItem from "@/app/api/scim/v2/Users/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import entra from "../fixtures/scim/entra-scim-compatibility.json";
import entraTutorial from "../fixtures/scim/entra-scim-tutorial.json";
import okta from "../fixtures/scim/okta-scim-20-reference.json";
import { unique } from "../support/factories";
import { callScim } from "../support/scim-client";
import { scimWorld } from "../support/scim-world";

/**
 * The IdPs' conformance runs, step by step and in their order, against the route handlers: Okta's
 * "SCIM 2.0 Spec Test" (the Runscope suite Okta asks integrators to pass) and the sequence of
 * Entra's SCIM validator (create, find by userName and by externalId, PATCH attributes, disable,
 * groups with members added and removed, delete), in both of Entra's PATCH dialects. Each step
 * checks what the vendor's run checks: status, content type, ListResponse and Error schemas.
 * Query strings are URL-encoded as the IdPs send them. scim-conformance.test.ts replays the
 * vendors' bodies as documented (userNames outside the owned domain); this file runs the same
 * suites as one IdP's session would, at the owned domain, and adds what those runs also assert:
 * discovery, the content type and Error schema of every answer, paging past the end, '+' in
 * query strings, filters after each change, and deletes that leave the lists empty.
 */

type World = Awaited<ReturnType<typeof scimWorld>>;
type Doc = Record<string, unknown> & { id: string; meta: { version: string; location: string; resourceType: string } };
type List = { schemas: string[]; totalResults: number; startIndex: number; itemsPerPage: number; Resources?: Doc[] };

const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString().replace(/\+/g, "%20")}`;

async function json<T = Doc>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect({ status: res.status, body: text.slice(0, 400) }).toMatchObject({ status });
  if (status !== 204) expect(res.headers.get("content-type")).toMatch(/^application\/scim\+json/);
  return (text ? JSON.parse(text) : null) as T;
}

const listUsers = async (w: World, params: Record<string, string>) => json<List>(await callScim(userList.GET, w.token, "GET", `/Users${query(params)}`), 200);
const listGroups = async (w: World, params: Record<string, string>) => json<List>(await callScim(groupList.GET, w.token, "GET", `/Groups${query(params)}`), 200);
const getUser = (w: World, id: string) => callScim(userItem.GET, w.token, "GET", `/Users/${id}`, { params: { id } });
const getGroup = (w: World, id: string, params: Record<string, string> = {}) => callScim(groupItem.GET, w.token, "GET", `/Groups/${id}${Object.keys(params).length ? query(params) : ""}`, { params: { id } });
const patchUser = (w: World, id: string, body: unknown) => callScim(userItem.PATCH, w.token, "PATCH", `/Users/${id}`, { params: { id }, body });
const patchGroup = (w: World, id: string, body: unknown) => callScim(groupItem.PATCH, w.token, "PATCH", `/Groups/${id}`, { params: { id }, body });

function expectList(list: List, total: number) {
  expect(list.schemas).toEqual([LIST]);
  expect(list.totalResults).toBe(total);
  expect(list.Resources ?? []).toHaveLength(Math.min(total, list.itemsPerPage));
}

async function expectScimError(res: Response, status: number, scimType?: string) {
  const body = await json<Record<string, unknown>>(res, status);
  expect(body.schemas).toEqual([ERROR]);
  expect(body.status).toBe(String(status));
  expect(typeof body.detail).toBe("string");
  if (scimType) expect(body.scimType).toBe(scimType);
}

/** Entra's body with the names made unique, its work email at the org's owned domain. */
function entraUser(w: World) {
  const userName = unique("Test_User");
  return { ...entraTutorial.createUser, externalId: randomUUID(), userName, emails: [{ primary: true, type: "work", value: `${userName.toLowerCase()}@${w.domain}` }] };
}

describe("Okta's SCIM 2.0 Spec Test, in its order", () => {
  it("discovery, list, filter for a random user (none), create, read, filter finds it (any case), duplicate 409, unknown id 404, Groups list", async () => {
    const w = await scimWorld("Okta Spec");
    const config = await json<{ bulk: { supported: boolean }; filter: { supported: boolean }; patch: { supported: boolean } }>(await callScim(configRoute.GET, w.token, "GET", "/ServiceProviderConfig"), 200);
    expect(config).toMatchObject({ patch: { supported: true }, filter: { supported: true } });

    // "Required Test: Test Users endpoint": GET /Users?count=1&startIndex=1, before any user exists.
    const first = await listUsers(w, { count: "1", startIndex: "1" });
    expectList(first, 0);
    expect(first.startIndex).toBe(1);

    // "Required Test: Get Users/{{id}}" is preceded by a filter for a random userName: nothing.
    const userName = `${unique("spec.test")}@${w.domain}`;
    expectList(await listUsers(w, { filter: `userName eq "${userName}"`, startIndex: "1", count: "100" }), 0);

    // "Test Create Okta user with realistic values": Okta's body without locale, externalId, groups and password.
    const specBody = Object.fromEntries(Object.entries(okta.createUser).filter(([key]) => !["locale", "externalId", "groups", "password"].includes(key)));
    const body = { ...specBody, userName, emails: [{ primary: true, value: userName, type: "work" }] };
    const created = await json(await callScim(userList.POST, w.token, "POST", "/Users", { body }), 201);
    expect(created).toMatchObject({ schemas: expect.arrayContaining([USER]), userName, active: true, name: { givenName: "Test", familyName: "User" }, emails: body.emails, meta: { resourceType: "User" } });
    expect(created.id).toEqual(expect.any(String));
    expect(created).not.toHaveProperty("password");

    // "Verify that user was created": GET /Users/{{id}}.
    expect(await json(await getUser(w, created.id), 200)).toMatchObject({ id: created.id, userName, active: true, name: { familyName: "User" } });

    // "Expect failure when recreating user with same values": 409.
    await expectScimError(await callScim(userList.POST, w.token, "POST", "/Users", { body }), 409, "uniqueness");

    // "Username Case Sensitivity Check": the filter finds the user whatever the case.
    const byName = await listUsers(w, { filter: `userName eq "${userName}"`, startIndex: "1", count: "100" });
    expectList(byName, 1);
    expect(byName.Resources![0]).toMatchObject({ id: created.id, userName });
    const upper = await listUsers(w, { filter: `userName eq "${userName.toUpperCase()}"` });
    expectList(upper, 1);
    expect(upper.Resources![0]!.id).toBe(created.id);

    // The same list read with a '+' for each space, as some clients encode it.
    const plus = await json<List>(await callScim(userList.GET, w.token, "GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`).replace(/%20/g, "+")}&startIndex=1&count=10`), 200);
    expectList(plus, 1);

    // "Required Test: Get a user with a non-existent id": 404 in the SCIM Error schema.
    await expectScimError(await getUser(w, randomUUID()), 404);
    await expectScimError(await getUser(w, "010101"), 404);

    // "Required Test: Test Groups endpoint".
    expectList(await listGroups(w, { count: "1", startIndex: "1" }), 0);

    // Paging past the end: an empty page, the total still right.
    const past = await listUsers(w, { startIndex: "5", count: "10" });
    expect(past.totalResults).toBe(1);
    expect(past.Resources ?? []).toEqual([]);
  });

  it("Okta's lifecycle: PUT with the document repeated (groups, meta, id), deactivate by path-less PATCH, read back inactive, reactivate", async () => {
    const w = await scimWorld("Okta Life");
    const userName = `${unique("okta.user")}@${w.domain}`;
    const created = await json(await callScim(userList.POST, w.token, "POST", "/Users", { body: { ...okta.createUser, userName, externalId: unique("00u"), emails: [{ primary: true, value: userName, type: "work" }] } }), 201);
    const put = await callScim(userItem.PUT, w.token, "PUT", `/Users/${created.id}`, {
      params: { id: created.id },
      body: { ...okta.putUser, id: created.id, userName, emails: [{ primary: true, value: userName, type: "work", display: userName }] },
    });
    expect(await json(put, 200)).toMatchObject({ id: created.id, name: { givenName: "Another", middleName: "Excited", familyName: "User" }, active: true });

    expect(await json(await patchUser(w, created.id, okta.deactivateUser), 200)).toMatchObject({ id: created.id, active: false });
    expect(await json(await getUser(w, created.id), 200)).toMatchObject({ active: false });
    const inactive = await listUsers(w, { filter: `userName eq "${userName}" and active eq false` });
    expectList(inactive, 1);

    const reactivated = await patchUser(w, created.id, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] });
    expect(await json(reactivated, 200)).toMatchObject({ active: true });
  });

  it("Okta's group push: create, rename by path-less PATCH repeating the id, add and remove members, replace members, delete", async () => {
    const w = await scimWorld("Okta Groups");
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const userName = `${unique("member")}@${w.domain}`;
      ids.push((await json(await callScim(userList.POST, w.token, "POST", "/Users", { body: { ...okta.createUser, userName, externalId: unique("00u"), emails: [{ primary: true, value: userName, type: "work" }] } }), 201)).id);
    }
    const group = await json(await callScim(groupList.POST, w.token, "POST", "/Groups", { body: okta.createGroup }), 201);
    expect(group).toMatchObject({ displayName: "Test SCIMv2", meta: { resourceType: "Group" } });
    const renamed = await patchGroup(w, group.id, { ...okta.renameGroup, Operations: [{ op: "replace", value: { id: group.id, displayName: "Renamed SCIMv2" } }] });
    expect(await json(renamed, 200)).toMatchObject({ displayName: "Renamed SCIMv2" });
    const add = await patchGroup(w, group.id, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: ids[0], display: "first" }] }] });
    expect(((await json(add, 200)).members as Array<{ value: string }>).map((m) => m.value)).toEqual([ids[0]]);
    const swap = await patchGroup(w, group.id, { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${ids[0]}"]` }, { op: "add", path: "members", value: [{ value: ids[1], display: "second" }] }] });
    expect(((await json(swap, 200)).members as Array<{ value: string }>).map((m) => m.value)).toEqual([ids[1]]);
    const replaced = await patchGroup(w, group.id, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "members", value: ids.map((value) => ({ value, display: "x" })) }] });
    expect(((await json(replaced, 200)).members as Array<{ value: string }>).map((m) => m.value).sort()).toEqual([...ids].sort());
    const byName = await listGroups(w, { filter: 'displayName eq "renamed scimv2"' });
    expectList(byName, 1);
    expect(await json(await callScim(groupItem.DELETE, w.token, "DELETE", `/Groups/${group.id}`, { params: { id: group.id } }), 204)).toBeNull();
    await expectScimError(await getGroup(w, group.id), 404);
    expectList(await listGroups(w, {}), 0);
  });
});

describe("Entra's SCIM validator sequence", () => {
  for (const dialect of ["aadOptscim062020", "legacy"] as const) {
    it(`${dialect}: create, find by userName and by externalId, PATCH attributes, disable with ${dialect === "legacy" ? '"False"' : "false"}, delete`, async () => {
      const w = await scimWorld(`Entra ${dialect}`);
      const body = entraUser(w);
      const created = await json(await callScim(userList.POST, w.token, "POST", "/Users", { body, headers: { "content-type": "application/scim+json; charset=utf-8" } }), 201);
      expect(created).toMatchObject({ userName: body.userName, externalId: body.externalId, active: true, name: { givenName: "givenName", familyName: "familyName" } });

      // The validator looks the user up by userName (any case) and by externalId before and after.
      expectList(await listUsers(w, { filter: `userName eq "${unique("absent")}"` }), 0);
      const byUserName = await listUsers(w, { filter: `userName eq "${body.userName.toLowerCase()}"` });
      expectList(byUserName, 1);
      expect(byUserName.Resources![0]!.id).toBe(created.id);
      const byExternalId = await listUsers(w, { filter: `externalId eq "${body.externalId}"` });
      expectList(byExternalId, 1);
      expect(byExternalId.Resources![0]!.id).toBe(created.id);

      // Replace several attributes at once (Entra's documented request in this dialect).
      const replace = JSON.parse(JSON.stringify(entra.replaceMultipleAttributes[dialect]).replace(/Test\w+@test\.microsoft\.com/, `renamed@${w.domain}`)) as typeof entra.replaceMultipleAttributes.legacy;
      const replaced = await json(await patchUser(w, created.id, replace), 200);
      const expected =
        dialect === "legacy"
          ? { displayName: "Pvlo", name: { givenName: "Gtfd", familyName: "Pkqf" }, externalId: "Eqpj", [ENTERPRISE]: { employeeNumber: "Eqpj" } }
          : { displayName: "Bjfe", name: { givenName: "Kkom", familyName: "Unua" }, [ENTERPRISE]: { employeeNumber: "Aklq" } };
      expect(replaced).toMatchObject({ ...expected, emails: [expect.objectContaining({ type: "work", value: `renamed@${w.domain}` })] });
      expect(await json(await getUser(w, created.id), 200)).toMatchObject(expected);
      if (dialect === "legacy") expectList(await listUsers(w, { filter: 'externalId eq "Eqpj"' }), 1);

      // Add a single-valued string, then replace userName (Entra's "update user single-valued").
      expect(await json(await patchUser(w, created.id, entra.addSingleValueString[dialect]), 200)).toMatchObject({ nickName: "Babs" });
      const newName = unique("Renamed_User");
      expect(await json(await patchUser(w, created.id, { ...entraTutorial.updateUserSingleValued, Operations: [{ op: dialect === "legacy" ? "Replace" : "replace", path: "userName", value: newName }] }), 200)).toMatchObject({ userName: newName });
      expectList(await listUsers(w, { filter: `userName eq "${body.userName}"` }), 0);
      expectList(await listUsers(w, { filter: `userName eq "${newName}"` }), 1);

      // Disable: the boolean comes back a boolean whichever form was sent.
      const disabled = await json(await patchUser(w, created.id, entra.disableUser[dialect]), 200);
      expect(disabled.active).toBe(false);
      expect(await json(await getUser(w, created.id), 200)).toMatchObject({ active: false });

      expect(await json(await callScim(userItem.DELETE, w.token, "DELETE", `/Users/${created.id}`, { params: { id: created.id } }), 204)).toBeNull();
      await expectScimError(await getUser(w, created.id), 404);
      expectList(await listUsers(w, { filter: `externalId eq "${dialect === "legacy" ? "Eqpj" : body.externalId}"` }), 0);
    });

    it(`${dialect}: Groups: create (with Microsoft's schema URN), find by displayName without members, add and remove members, rename, delete`, async () => {
      const w = await scimWorld(`Entra groups ${dialect}`);
      const members: string[] = [];
      for (let i = 0; i < 2; i++) members.push((await json(await callScim(userList.POST, w.token, "POST", "/Users", { body: entraUser(w) }), 201)).id);
      const displayName = unique("Entra Group");
      const group = await json(await callScim(groupList.POST, w.token, "POST", "/Groups", { body: { ...entraTutorial.createGroup, externalId: randomUUID(), displayName } }), 201);
      expect(group).toMatchObject({ displayName, meta: { resourceType: "Group" } });

      const found = await listGroups(w, { filter: `displayName eq "${displayName}"`, excludedAttributes: "members" });
      expectList(found, 1);
      expect(found.Resources![0]!.id).toBe(group.id);
      expect(found.Resources![0]).not.toHaveProperty("members");

      const add = JSON.parse(JSON.stringify(entraTutorial.updateGroupAddMembers).replace("f648f8d5ea4e4cd38e9c", members[0]!)) as Record<string, unknown>;
      if (dialect === "aadOptscim062020") (add.Operations as Array<{ op: string }>)[0]!.op = "add";
      expect(await json(await patchGroup(w, group.id, add), 200)).toMatchObject({ members: [expect.objectContaining({ value: members[0] })] });
      expect(await json(await patchGroup(w, group.id, { schemas: [PATCH_OP], Operations: [{ op: dialect === "legacy" ? "Add" : "add", path: "members", value: [{ value: members[1] }] }] }), 200)).toMatchObject({ members: expect.arrayContaining([expect.objectContaining({ value: members[1] })]) });
      const withMembers = await listGroups(w, { filter: `members.value eq "${members[0]}"` });
      expectList(withMembers, 1);

      // Removal: legacy names the members in a value list; aadOptscim062020 uses a value-filtered path.
      const remove = JSON.parse(JSON.stringify(entra.removeGroupMember[dialect]).replace(/u1091|7f4bc1a3-285e-48ae-8202-5accb43efb0e/, members[0]!)) as Record<string, unknown>;
      const removed = await json(await patchGroup(w, group.id, remove), 200);
      expect((removed.members as Array<{ value: string }>).map((m) => m.value)).toEqual([members[1]]);
      expect(await json(await getGroup(w, group.id), 200)).toMatchObject({ members: [expect.objectContaining({ value: members[1] })] });
      expectList(await listGroups(w, { filter: `members.value eq "${members[0]}"` }), 0);

      const renamed = `${displayName} updated`;
      const rename = { ...entraTutorial.updateGroupNonMember, Operations: [{ op: dialect === "legacy" ? "Replace" : "replace", path: "displayName", value: renamed }] };
      expect(await json(await patchGroup(w, group.id, rename), 200)).toMatchObject({ displayName: renamed });
      expect(await json(await getGroup(w, group.id, { excludedAttributes: "members" }), 200)).not.toHaveProperty("members");

      expect(await json(await callScim(groupItem.DELETE, w.token, "DELETE", `/Groups/${group.id}`, { params: { id: group.id } }), 204)).toBeNull();
      await expectScimError(await getGroup(w, group.id), 404);
      expectList(await listGroups(w, { filter: `displayName eq "${renamed}"` }), 0);
      // The members are untouched by their group's deletion.
      expect(await json(await getUser(w, members[1]!), 200)).toMatchObject({ active: true, groups: [] });
    });
  }
});
