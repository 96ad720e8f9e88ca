import { describe, expect, it } from "vitest";
import { normalizeScimPatch, SCIM_ENTERPRISE_USER_SCHEMA, SCIM_USER_SCHEMA, type ScimGroupDoc, type ScimUserDoc } from "@/lib/scim/patch";
import { patch, patchOp, scimErrorOf } from "./scim-patch-support";

const ENT = SCIM_ENTERPRISE_USER_SCHEMA;

function user(extra: Partial<ScimUserDoc> = {}): ScimUserDoc {
  return {
    schemas: [SCIM_USER_SCHEMA],
    id: "u-1",
    userName: "bjensen@acme.test",
    name: { givenName: "Barbara", familyName: "Jensen" },
    emails: [
      { value: "bjensen@acme.test", type: "work", primary: true },
      { value: "babs@home.example", type: "home" },
    ],
    active: true,
    meta: { resourceType: "User", version: 'W/"1"' },
    ...extra,
  };
}

const group = (members: string[]): ScimGroupDoc => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], id: "g-1", displayName: "Buyers", members: members.map((value) => ({ value })) });

describe("add", () => {
  it("sets a single-valued attribute and merges a complex one", () => {
    const { resource, changed } = patch(user(), patchOp({ op: "add", path: "title", value: "Buyer" }, { op: "add", path: "name", value: { middleName: "J" } }), "User");
    expect(resource.title).toBe("Buyer");
    expect(resource.name).toEqual({ givenName: "Barbara", familyName: "Jensen", middleName: "J" });
    expect([...changed].sort()).toEqual(["name", "title"]);
  });

  it("appends to a multi-valued attribute, merging an element with the same value and type", () => {
    const { resource } = patch(user(), patchOp({ op: "add", path: "emails", value: [{ value: "BJENSEN@acme.test", type: "work", display: "Babs" }, { value: "b@other.example", type: "other" }] }), "User");
    expect(resource.emails).toEqual([
      { value: "BJENSEN@acme.test", type: "work", primary: true, display: "Babs" },
      { value: "babs@home.example", type: "home" },
      { value: "b@other.example", type: "other" },
    ]);
  });

  it("a new primary value demotes the old one (one primary per attribute)", () => {
    const { resource } = patch(user(), patchOp({ op: "add", path: "emails", value: { value: "new@acme.test", type: "work", primary: "True" } }), "User");
    expect(resource.emails?.filter((e) => e.primary === true).map((e) => e.value)).toEqual(["new@acme.test"]);
    expect(resource.emails?.[0]?.primary).toBe(false);
  });

  it("two new primaries in one op are refused", () => {
    const error = scimErrorOf(() => patch(user(), patchOp({ op: "add", path: "emails", value: [{ value: "a@x.test", primary: true }, { value: "b@x.test", primary: true }] }), "User"));
    expect(error.scimType).toBe("invalidValue");
  });

  it("a filtered add with nothing matching creates the element from the filter's equalities", () => {
    const { resource } = patch(user(), patchOp({ op: "Add", path: 'addresses[type eq "work"].locality', value: "Chicago" }), "User");
    expect(resource.addresses).toEqual([{ type: "work", locality: "Chicago" }]);
  });

  it("adds an enterprise attribute, and the manager by a bare id", () => {
    const { resource, changed } = patch(user(), patchOp({ op: "add", path: `${ENT}:department`, value: "Sales" }, { op: "add", path: `${ENT}:manager`, value: "m-7" }), "User");
    expect(resource[ENT]).toEqual({ department: "Sales", manager: { value: "m-7" } });
    expect(resource.schemas).toContain(ENT);
    expect([...changed].sort()).toEqual([`${ENT}:department`, `${ENT}:manager`]);
  });

  it("adds a whole extension object by its URN path, and path-less by its URN key", () => {
    const a = patch(user(), patchOp({ op: "add", path: ENT, value: { costCenter: "4130", manager: { value: "m-1" } } }), "User").resource;
    expect(a[ENT]).toEqual({ costCenter: "4130", manager: { value: "m-1" } });
    const b = patch(user(), patchOp({ op: "add", value: { [ENT]: { division: "West" } } }), "User").resource;
    expect(b[ENT]).toEqual({ division: "West" });
  });

  it("adding the same member twice changes nothing", () => {
    const { changed } = patch(group(["a"]), patchOp({ op: "add", path: "members", value: [{ value: "a" }] }), "Group");
    expect(changed.size).toBe(0);
  });

  it("attribute names match in any letter case and are stored canonically", () => {
    const { resource } = patch(user(), patchOp({ op: "REPLACE", path: "NAME.GIVENNAME", value: "Babs" }, { op: "add", path: "EMAILS[TYPE eq \"home\"].Display", value: "Home" }), "User");
    expect(resource.name?.givenName).toBe("Babs");
    expect(resource.emails?.[1]).toEqual({ value: "babs@home.example", type: "home", display: "Home" });
  });
});

describe("replace", () => {
  it("replaces a whole multi-valued attribute", () => {
    const { resource } = patch(user(), patchOp({ op: "replace", path: "emails", value: [{ value: "only@acme.test", type: "work" }] }), "User");
    expect(resource.emails).toEqual([{ value: "only@acme.test", type: "work" }]);
  });

  it("replaces the elements a filter selects", () => {
    const { resource } = patch(user(), patchOp({ op: "replace", path: 'emails[type eq "home"]', value: { value: "new@home.example", type: "home" } }), "User");
    expect(resource.emails?.map((e) => e.value)).toEqual(["bjensen@acme.test", "new@home.example"]);
  });

  it("a filter that selects nothing is noTarget", () => {
    const error = scimErrorOf(() => patch(user(), patchOp({ op: "replace", path: 'emails[type eq "fax"].value', value: "x" }), "User"));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("noTarget");
    expect(error.message).toContain('emails[type eq "fax"].value');
  });

  it("filters combine with and / or / not and compare case-insensitively where caseExact is false", () => {
    const { resource } = patch(user(), patchOp({ op: "replace", path: 'emails[(type eq "WORK" or type eq "fax") and not (value ew ".example")].display', value: "W" }), "User");
    expect(resource.emails?.[0]?.display).toBe("W");
    expect(resource.emails?.[1]?.display).toBeUndefined();
  });

  it("null is unassigned: replace with null removes the attribute", () => {
    const { resource, changed } = patch(user({ title: "Buyer" }), patchOp({ op: "replace", path: "title", value: null }), "User");
    expect(resource).not.toHaveProperty("title");
    expect([...changed]).toEqual(["title"]);
  });

  it("a value equal to the current one changes nothing", () => {
    expect(patch(user(), patchOp({ op: "replace", path: "active", value: "True" }), "User").changed.size).toBe(0);
  });
});

describe("remove", () => {
  it("removes an attribute, a sub-attribute and filtered elements", () => {
    const { resource, changed } = patch(user({ title: "Buyer" }), patchOp({ op: "remove", path: "title" }, { op: "remove", path: "name.familyName" }, { op: "remove", path: 'emails[type eq "home"]' }), "User");
    expect(resource).not.toHaveProperty("title");
    expect(resource.name).toEqual({ givenName: "Barbara" });
    expect(resource.emails).toEqual([{ value: "bjensen@acme.test", type: "work", primary: true }]);
    expect([...changed].sort()).toEqual(["emails", "name", "title"]);
  });

  it("removing a member who is not there is not an error", () => {
    expect(patch(group(["a"]), patchOp({ op: "remove", path: 'members[value eq "zz"]' }), "Group").changed.size).toBe(0);
  });

  it("removes several members listed as a value, matching on value only", () => {
    const { resource } = patch(group(["a", "b", "c"]), patchOp({ op: "remove", path: "members", value: [{ value: "a", display: "stale name" }, { value: "c" }] }), "Group");
    expect(resource.members).toEqual([{ value: "b" }]);
  });

  it("an empty value list removes nothing (never the whole membership)", () => {
    expect(patch(group(["a"]), patchOp({ op: "remove", path: "members", value: [] }), "Group").resource.members).toEqual([{ value: "a" }]);
  });

  it("remove without a path is noTarget", () => {
    expect(scimErrorOf(() => normalizeScimPatch(patchOp({ op: "remove" }), "User")).scimType).toBe("noTarget");
  });

  it("the last enterprise attribute removed drops the extension from schemas", () => {
    const { resource } = patch(user({ schemas: [SCIM_USER_SCHEMA, ENT], [ENT]: { department: "Sales" } }), patchOp({ op: "remove", path: `${ENT}:department` }), "User");
    expect(resource).not.toHaveProperty(ENT);
    expect(resource.schemas).toEqual([SCIM_USER_SCHEMA]);
  });
});

describe("refusals", () => {
  it.each([
    ["id", { op: "replace", path: "id", value: "other" }],
    ["meta", { op: "replace", path: "meta.version", value: 'W/"9"' }],
    ["groups on a User", { op: "add", path: "groups", value: [{ value: "g-1" }] }],
    ["groups removed", { op: "remove", path: "groups" }],
    ["id in a path-less value", { op: "replace", value: { id: "other", displayName: "x" } }],
  ])("read-only %s → mutability", (_what, operation) => {
    const error = scimErrorOf(() => patch(user(), patchOp(operation), "User"));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("mutability");
  });

  it.each([
    ["an unknown attribute", { op: "replace", path: "favouriteColour", value: "red" }],
    ["an unknown sub-attribute", { op: "replace", path: "name.nickname", value: "x" }],
    ["an unknown schema", { op: "replace", path: "urn:example:ext:1.0:User:x", value: "x" }],
    ["a filter on a single-valued attribute", { op: "replace", path: 'name[givenName eq "x"]', value: {} }],
    ["an unknown key in a path-less value", { op: "replace", value: { active: false, shoeSize: 9 } }],
    ["an unknown sub-attribute inside a value", { op: "add", path: "emails", value: [{ value: "a@b.test", colour: "blue" }] }],
    ["a path that does not parse", { op: "replace", path: "emails[type eq", value: "x" }],
  ])("%s → invalidPath or invalidFilter", (_what, operation) => {
    const error = scimErrorOf(() => patch(user(), patchOp(operation), "User"));
    expect(error.status).toBe(400);
    expect(["invalidPath", "invalidFilter"]).toContain(error.scimType);
  });

  it("removing or emptying userName is refused and nothing else is applied", () => {
    for (const operation of [{ op: "remove", path: "userName" }, { op: "replace", path: "userName", value: "" }, { op: "replace", value: { userName: null } }]) {
      const error = scimErrorOf(() => patch(user(), patchOp({ op: "replace", path: "active", value: false }, operation), "User"));
      expect(error.scimType).toBe("invalidValue");
      expect(error.message).toContain("userName");
    }
  });

  it("a group's displayName cannot be removed", () => {
    expect(scimErrorOf(() => patch(group([]), patchOp({ op: "remove", path: "displayName" }), "Group")).scimType).toBe("invalidValue");
  });

  it.each([
    ["active as text", { op: "replace", path: "active", value: "yes" }],
    ["active as a number", { op: "replace", path: "active", value: 0 }],
    ["a title as an object", { op: "replace", path: "title", value: { a: 1 } }],
    ["a NUL byte", { op: "replace", path: "title", value: "a\u0000b" }],
    ["a lone surrogate", { op: "replace", path: "title", value: "a\ud800b" }],
    ["a huge string", { op: "replace", path: "title", value: "x".repeat(5000) }],
    ["add without a value", { op: "add", path: "title" }],
    ["path-less add with a list", { op: "add", value: [{ title: "x" }] }],
  ])("%s → invalidValue", (_what, operation) => {
    expect(scimErrorOf(() => patch(user(), patchOp(operation), "User")).scimType).toBe("invalidValue");
  });

  it.each(["__proto__", "constructor", "prototype"])("a %s key anywhere is refused before anything is read", (key) => {
    const value = JSON.parse(`{"${key}": {"polluted": true}, "title": "x"}`) as unknown;
    const error = scimErrorOf(() => normalizeScimPatch(patchOp({ op: "replace", value }), "User"));
    expect(error.scimType).toBe("invalidValue");
    expect(error.message).toContain(key);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("the message shape: schemas, Operations, op", () => {
    expect(scimErrorOf(() => normalizeScimPatch({ Operations: [{ op: "add", path: "title", value: "x" }] }, "User")).scimType).toBe("invalidSyntax");
    expect(scimErrorOf(() => normalizeScimPatch({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] }, "User")).scimType).toBe("invalidValue");
    expect(scimErrorOf(() => normalizeScimPatch(patchOp(), "User")).scimType).toBe("invalidValue");
    expect(scimErrorOf(() => normalizeScimPatch(patchOp({ op: "move", path: "title" }), "User")).scimType).toBe("invalidSyntax");
    expect(scimErrorOf(() => normalizeScimPatch(patchOp({ op: "add", Op: "remove", path: "title", value: "x" }), "User")).scimType).toBe("invalidSyntax");
    expect(scimErrorOf(() => normalizeScimPatch(patchOp({ op: "add", path: 7, value: "x" }), "User")).scimType).toBe("invalidPath");
    expect(scimErrorOf(() => normalizeScimPatch("not json", "User")).scimType).toBe("invalidSyntax");
    expect(scimErrorOf(() => normalizeScimPatch([], "User")).scimType).toBe("invalidSyntax");
  });

  it("more than 1000 operations → tooMany; 1000 pass", () => {
    const op = { op: "replace", path: "title", value: "x" };
    expect(scimErrorOf(() => normalizeScimPatch(patchOp(...Array.from({ length: 1001 }, () => op)), "User")).scimType).toBe("tooMany");
    expect(normalizeScimPatch(patchOp(...Array.from({ length: 1000 }, () => op)), "User")).toHaveLength(1000);
  });

  it("errors name the operation", () => {
    const error = scimErrorOf(() => patch(user(), patchOp({ op: "replace", path: "title", value: "ok" }, { op: "replace", path: "bogus", value: 1 }), "User"));
    expect(error.message).toMatch(/^Operation 2: "bogus" is not an attribute of User resources\.$/);
  });

  it("a filter comparing booleans with gt is invalidFilter", () => {
    expect(scimErrorOf(() => patch(user(), patchOp({ op: "remove", path: "emails[primary gt true]" }), "User")).scimType).toBe("invalidFilter");
  });
});

describe("writes nothing it should not", () => {
  it("a password (Okta's password sync) is accepted and never stored", () => {
    const { resource, changed } = patch(user(), patchOp({ op: "replace", value: { password: "s3cret-Passw0rd" } }), "User");
    expect(JSON.stringify(resource)).not.toContain("s3cret");
    expect(changed.size).toBe(0);
  });

  it("the input document is not modified, even when an op fails half-way", () => {
    const original = user();
    const copy = structuredClone(original);
    patch(original, patchOp({ op: "replace", path: "title", value: "x" }, { op: "add", path: "emails", value: { value: "z@z.test" } }), "User");
    scimErrorOf(() => patch(original, patchOp({ op: "replace", path: "title", value: "x" }, { op: "remove", path: "id" }), "User"));
    expect(original).toEqual(copy);
  });
});

describe("Entra's role and phone paths (the shapes its SCIM Validator sends)", () => {
  it('adds roles[primary eq "True"].display / .value / .type to a user with no roles: one primary role', () => {
    const body = patchOp(
      { op: "add", path: 'roles[primary eq "True"].display', value: "Manager" },
      { op: "add", path: 'roles[primary eq "True"].value', value: "manager" },
      { op: "add", path: 'roles[primary eq "True"].type', value: "system" },
      { op: "add", path: 'phoneNumbers[type eq "mobile"].value', value: "33-749-9990" },
      { op: "add", value: { active: true, title: "Lead", preferredLanguage: "dsb-DE", "name.givenName": "Janessa" } },
    );
    const { resource } = patch(user(), body, "User");
    expect(resource.roles).toEqual([{ primary: true, display: "Manager", value: "manager", type: "system" }]);
    expect(resource.phoneNumbers).toEqual([{ type: "mobile", value: "33-749-9990" }]);
    expect(resource).toMatchObject({ title: "Lead", preferredLanguage: "dsb-DE", name: { givenName: "Janessa" } });
  });

  it('replace roles[primary eq "True"].value matches the boolean primary', () => {
    const { resource } = patch(user({ roles: [{ value: "buyer", primary: true }, { value: "viewer" }] }), patchOp({ op: "replace", path: 'roles[primary eq "True"].value', value: "approver" }), "User");
    expect(resource.roles).toEqual([{ value: "approver", primary: true }, { value: "viewer" }]);
  });
});

describe("whole extensions and unfiltered sub-attributes", () => {
  it("remove of the extension's URN removes every enterprise attribute", () => {
    const { resource, changed } = patch(user({ schemas: [SCIM_USER_SCHEMA, ENT], [ENT]: { department: "Sales", manager: { value: "m" } } }), patchOp({ op: "remove", path: ENT }), "User");
    expect(resource).not.toHaveProperty(ENT);
    expect([...changed].sort()).toEqual([`${ENT}:department`, `${ENT}:manager`]);
  });

  it("emails.display without a filter sets it on every email; on none, replace is noTarget", () => {
    const { resource } = patch(user(), patchOp({ op: "replace", path: "emails.display", value: "D" }), "User");
    expect(resource.emails?.map((e) => e.display)).toEqual(["D", "D"]);
    expect(scimErrorOf(() => patch(user({ emails: undefined }), patchOp({ op: "replace", path: "emails.display", value: "D" }), "User")).scimType).toBe("noTarget");
  });

  it("an enterprise manager.value path and a URN-keyed path-less value", () => {
    const a = patch(user(), patchOp({ op: "add", path: `${ENT}:manager.value`, value: "m-2" }), "User").resource;
    expect(a[ENT]).toEqual({ manager: { value: "m-2" } });
    const b = patch(a, patchOp({ op: "replace", value: { [`${ENT}:manager`]: null } }), "User").resource;
    expect(b).not.toHaveProperty(ENT);
  });
});
