import { describe, expect, it } from "vitest";
import { normalizeScimPatch, normalizeScimResource, SCIM_ENTERPRISE_USER_SCHEMA, type ScimGroupDoc, type ScimUserDoc } from "@/lib/scim/patch";
import { patch, readScimFixture } from "./scim-patch-support";

// Every request shape in tests/fixtures/scim, from Okta's and Entra's documentation (see its README).
const okta = readScimFixture("okta-scim-20-reference.json");
const entra = readScimFixture("entra-scim-tutorial.json");
const compat = readScimFixture("entra-scim-compatibility.json") as Record<string, { legacy: unknown; aadOptscim062020: unknown }>;

const oktaUser = () => normalizeScimResource(okta.storedUser, "User");
const oktaGroup = () => normalizeScimResource(okta.storedGroup, "Group");
const entraUser = () => normalizeScimResource(entra.storedUser, "User");

describe("Okta SCIM 2.0 reference", () => {
  it("POST /Users keeps the profile, drops groups (read-only) and the password (write-only)", () => {
    const doc = normalizeScimResource(okta.createUser, "User");
    expect(doc).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "test.user@okta.local",
      name: { givenName: "Test", familyName: "User" },
      emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
      displayName: "Test User",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      active: true,
    });
    expect(JSON.stringify(doc)).not.toContain("1mz050nq");
  });

  it("PUT /Users repeats id, meta and groups: they are ignored, the rest replaces the document", () => {
    const doc = normalizeScimResource(okta.putUser, "User");
    expect(doc).not.toHaveProperty("id");
    expect(doc).not.toHaveProperty("meta");
    expect(doc).not.toHaveProperty("groups");
    expect(doc.name).toEqual({ givenName: "Another", middleName: "Excited", familyName: "User" });
    expect(doc.emails).toEqual([{ primary: true, value: "test.user@okta.local", type: "work", display: "test.user@okta.local" }]);
  });

  it("deactivates with a path-less replace of active", () => {
    const ops = normalizeScimPatch(okta.deactivateUser, "User");
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ op: "replace", path: { attr: { attr: "active" } }, value: false });
    const { resource, changed } = patch(oktaUser(), okta.deactivateUser, "User");
    expect(resource.active).toBe(false);
    expect([...changed]).toEqual(["active"]);
  });

  it("POST /Groups with an empty member list", () => {
    expect(normalizeScimResource(okta.createGroup, "Group")).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Test SCIMv2" });
  });

  it("renames a group with a path-less value repeating the group's own id", () => {
    const stored = { ...oktaGroup(), id: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b" };
    const renamed = { ...(okta.renameGroup as object) } as { Operations: Array<{ value: Record<string, string> }> };
    const body = structuredClone(renamed);
    body.Operations[0]!.value.displayName = "Test SCIMv20";
    const { resource, changed } = patch(stored, body, "Group");
    expect(resource.displayName).toBe("Test SCIMv20");
    expect([...changed]).toEqual(["displayName"]);
  });

  it("membership: removes one member by filter and adds another", () => {
    const stored: ScimGroupDoc = { ...oktaGroup(), members: [{ value: "89bb1940-b905-4575-9e7f-6f887cfb368e", display: "old" }, { value: "b1c794f24f4c49f4b5d503a4cb2686ea" }] };
    const { resource, changed } = patch(stored, okta.updateGroupMembership, "Group");
    expect(resource.members).toEqual([{ value: "b1c794f24f4c49f4b5d503a4cb2686ea" }, { value: "23a35c27-23d3-4c03-b4c5-6443c09e7173", display: "test.user@okta.local" }]);
    expect([...changed]).toEqual(["members"]);
  });

  it("membership: a full push with replace members", () => {
    const { resource } = patch(oktaGroup(), okta.replaceGroupMembers, "Group");
    expect(resource.members?.map((m) => m.value)).toEqual(["23a35c27-23d3-4c03-b4c5-6443c09e7173", "89bb1940-b905-4575-9e7f-6f887cfb368e"]);
  });

  it("a PUT /Groups with the members (the GET shape sent back) keeps them", () => {
    const doc = normalizeScimResource(okta.storedGroup, "Group");
    expect(doc.members).toEqual([{ value: "b1c794f24f4c49f4b5d503a4cb2686ea", display: "SCIM 2 Group A" }]);
  });
});

describe("Entra provisioning tutorial", () => {
  it("POST /Users with the enterprise schema listed, meta and roles: []", () => {
    const doc = normalizeScimResource(entra.createUser, "User");
    expect(doc).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
      active: true,
      emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }],
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
    });
  });

  it("PATCH multi-valued: Replace emails[type eq \"work\"].value and name.familyName", () => {
    const { resource, changed } = patch(entraUser(), entra.updateUserMultiValued, "User");
    expect(resource.emails).toEqual([{ value: "updatedEmail@microsoft.com", type: "work", primary: true }]);
    expect(resource.name?.familyName).toBe("updatedFamilyName");
    expect(resource.name?.givenName).toBe("givenName");
    expect([...changed].sort()).toEqual(["emails", "name"]);
  });

  it("PATCH single-valued: Replace userName", () => {
    const { resource } = patch(entraUser(), entra.updateUserSingleValued, "User");
    expect(resource.userName).toBe("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com");
  });

  it("disables a user", () => {
    expect(patch(entraUser(), entra.disableUser, "User").resource.active).toBe(false);
  });

  it("POST /Groups listing Microsoft's own schema URN beside the core one", () => {
    expect(normalizeScimResource(entra.createGroup, "Group")).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "displayName",
    });
  });

  it("renames, adds and removes members ($ref: null, capitalised ops)", () => {
    const group = normalizeScimResource(entra.storedGroup, "Group");
    const renamed = patch(group, entra.updateGroupNonMember, "Group").resource;
    expect(renamed.displayName).toBe("1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");
    const added = patch(renamed, entra.updateGroupAddMembers, "Group");
    expect(added.resource.members).toEqual([{ value: "f648f8d5ea4e4cd38e9c" }]);
    expect([...added.changed]).toEqual(["members"]);
    const again = patch(added.resource, entra.updateGroupAddMembers, "Group");
    expect(again.changed.size).toBe(0);
    const removed = patch(added.resource, entra.updateGroupRemoveMembers, "Group");
    expect(removed.resource.members).toBeUndefined();
    expect([...removed.changed]).toEqual(["members"]);
  });
});

describe("Entra's requests with and without aadOptscim062020", () => {
  const user = (): ScimUserDoc => ({ ...entraUser(), displayName: "Before", nickName: "Bee", [SCIM_ENTERPRISE_USER_SCHEMA]: { employeeNumber: "1" } });

  it("disable: \"False\" (legacy) and false (flag) both set active to false", () => {
    for (const body of [compat.disableUser!.legacy, compat.disableUser!.aadOptscim062020]) {
      const { resource, changed } = patch(user(), body, "User");
      expect(resource.active).toBe(false);
      expect([...changed]).toEqual(["active"]);
    }
  });

  it("add a single-valued string, either op case", () => {
    for (const body of [compat.addSingleValueString!.legacy, compat.addSingleValueString!.aadOptscim062020]) {
      expect(patch(user(), body, "User").resource.nickName).toBe("Babs");
    }
  });

  it("replace several attributes: one op each (legacy) or a path-less value whose keys are paths (flag)", () => {
    const legacy = patch(user(), compat.replaceMultipleAttributes!.legacy, "User").resource;
    expect(legacy).toMatchObject({
      displayName: "Pvlo",
      name: { givenName: "Gtfd", familyName: "Pkqf", formatted: "givenName familyName" },
      externalId: "Eqpj",
      emails: [{ value: "TestBcwqnm@test.microsoft.com", type: "work", primary: true }],
      [SCIM_ENTERPRISE_USER_SCHEMA]: { employeeNumber: "Eqpj" },
    });
    const flagged = patch(user(), compat.replaceMultipleAttributes!.aadOptscim062020, "User");
    expect(flagged.resource).toMatchObject({
      displayName: "Bjfe",
      name: { givenName: "Kkom", familyName: "Unua", formatted: "givenName familyName" },
      emails: [{ value: "TestMhvaes@test.microsoft.com", type: "work", primary: true }],
      [SCIM_ENTERPRISE_USER_SCHEMA]: { employeeNumber: "Aklq" },
    });
    expect(flagged.resource.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", SCIM_ENTERPRISE_USER_SCHEMA]);
    expect([...flagged.changed].sort()).toEqual(["displayName", "emails", "name", `${SCIM_ENTERPRISE_USER_SCHEMA}:employeeNumber`]);
  });

  it("remove a member: by value list (legacy) or by filter (flag) normalise to the same op", () => {
    const [legacy] = normalizeScimPatch(compat.removeGroupMember!.legacy, "Group");
    const [flagged] = normalizeScimPatch(compat.removeGroupMember!.aadOptscim062020, "Group");
    expect(legacy).toMatchObject({ op: "remove", path: { attr: { attr: "members" }, filter: { kind: "compare", op: "eq", value: "u1091" } } });
    expect(flagged).toMatchObject({ op: "remove", path: { attr: { attr: "members" }, filter: { kind: "compare", op: "eq", value: "7f4bc1a3-285e-48ae-8202-5accb43efb0e" } } });
    const group: ScimGroupDoc = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "g", members: [{ value: "u1091" }, { value: "7f4bc1a3-285e-48ae-8202-5accb43efb0e" }, { value: "keep" }] };
    expect(patch(group, compat.removeGroupMember!.legacy, "Group").resource.members?.map((m) => m.value)).toEqual(["7f4bc1a3-285e-48ae-8202-5accb43efb0e", "keep"]);
    expect(patch(group, compat.removeGroupMember!.aadOptscim062020, "Group").resource.members?.map((m) => m.value)).toEqual(["u1091", "keep"]);
  });
});
