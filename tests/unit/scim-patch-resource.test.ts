import { describe, expect, it } from "vitest";
import { normalizeScimResource, SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from "@/lib/scim/patch";
import { scimErrorOf } from "./scim-patch-support";

const ENT = SCIM_ENTERPRISE_USER_SCHEMA;

describe("normalizeScimResource", () => {
  it("matches attribute names in any case and writes them canonically", () => {
    const doc = normalizeScimResource({ SCHEMAS: [SCIM_USER_SCHEMA.toUpperCase()], USERNAME: "a@acme.test", Name: { GIVENNAME: "A" }, EMAILS: [{ VALUE: "a@acme.test", Primary: "True" }] }, "User");
    expect(doc).toEqual({ schemas: [SCIM_USER_SCHEMA], userName: "a@acme.test", name: { givenName: "A" }, emails: [{ value: "a@acme.test", primary: true }] });
  });

  it("turns Entra's \"True\"/\"False\" into booleans and drops nulls", () => {
    const doc = normalizeScimResource({ schemas: [SCIM_USER_SCHEMA], userName: "a", active: "False", title: null, name: { givenName: null } }, "User");
    expect(doc).toEqual({ schemas: [SCIM_USER_SCHEMA], userName: "a", active: false });
  });

  it("reads the enterprise extension from its URN key and from URN-prefixed keys", () => {
    const doc = normalizeScimResource(
      { schemas: [SCIM_USER_SCHEMA, ENT], userName: "a", [ENT]: { department: "Sales", manager: { value: "m-1", displayName: "Boss" } }, [`${ENT}:costCenter`]: "4130" },
      "User",
    );
    expect(doc[ENT]).toEqual({ department: "Sales", manager: { value: "m-1" }, costCenter: "4130" });
    expect(doc.schemas).toEqual([SCIM_USER_SCHEMA, ENT]);
  });

  it("a URN-prefixed core attribute is the core attribute", () => {
    expect(normalizeScimResource({ schemas: [SCIM_USER_SCHEMA], [`${SCIM_USER_SCHEMA}:userName`]: "x" }, "User").userName).toBe("x");
  });

  it("ignores read-only, write-only and unknown attributes (an IdP's custom extension does not block provisioning)", () => {
    const doc = normalizeScimResource(
      { schemas: [SCIM_USER_SCHEMA], id: "client-id", meta: { version: "x" }, groups: [{ value: "g" }], password: "pw", userName: "a", "urn:example:custom:1.0:User": { shoe: 9 }, hobby: "x" },
      "User",
    );
    expect(doc).toEqual({ schemas: [SCIM_USER_SCHEMA], userName: "a" });
  });

  it("a name sent twice in different cases is refused", () => {
    expect(scimErrorOf(() => normalizeScimResource({ schemas: [SCIM_USER_SCHEMA], userName: "a", username: "b" }, "User")).scimType).toBe("invalidSyntax");
  });

  it.each([
    ["no schemas", { userName: "a" }, "invalidSyntax"],
    ["the wrong schema", { schemas: [SCIM_GROUP_SCHEMA], userName: "a" }, "invalidSyntax"],
    ["no userName", { schemas: [SCIM_USER_SCHEMA], name: { givenName: "a" } }, "invalidValue"],
    ["an empty userName", { schemas: [SCIM_USER_SCHEMA], userName: "" }, "invalidValue"],
    ["active as a number", { schemas: [SCIM_USER_SCHEMA], userName: "a", active: 1 }, "invalidValue"],
    ["two primary emails", { schemas: [SCIM_USER_SCHEMA], userName: "a", emails: [{ value: "a@x.test", primary: true }, { value: "b@x.test", primary: true }] }, "invalidValue"],
    ["a NUL in userName", { schemas: [SCIM_USER_SCHEMA], userName: "a\u0000" }, "invalidValue"],
    ["an over-long userName", { schemas: [SCIM_USER_SCHEMA], userName: "a".repeat(257) }, "invalidValue"],
    ["101 emails", { schemas: [SCIM_USER_SCHEMA], userName: "a", emails: Array.from({ length: 101 }, (_, i) => ({ value: `${i}@x.test` })) }, "invalidValue"],
    ["a list body", [], "invalidSyntax"],
  ])("refuses %s", (_what, body, scimType) => {
    expect(scimErrorOf(() => normalizeScimResource(body, "User")).scimType).toBe(scimType);
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses a %s key, even nested", (key) => {
    const body = JSON.parse(`{"schemas":["${SCIM_USER_SCHEMA}"],"userName":"a","name":{"${key}":{"x":1}}}`) as unknown;
    expect(scimErrorOf(() => normalizeScimResource(body, "User")).message).toContain(key);
  });

  it("groups: members need a value, repeats are dropped, and display is kept", () => {
    const doc = normalizeScimResource({ schemas: [SCIM_GROUP_SCHEMA], displayName: "G", members: [{ value: "a", display: "A" }, { value: "a" }, { value: "b", $ref: null }] }, "Group");
    expect(doc.members).toEqual([{ value: "a", display: "A" }, { value: "b" }]);
    expect(scimErrorOf(() => normalizeScimResource({ schemas: [SCIM_GROUP_SCHEMA], displayName: "G", members: [{ display: "no id" }] }, "Group")).scimType).toBe("invalidValue");
    expect(scimErrorOf(() => normalizeScimResource({ schemas: [SCIM_GROUP_SCHEMA] }, "Group")).message).toContain("displayName");
  });

  it("a lone object where a list is due is read as a one-item list", () => {
    expect(normalizeScimResource({ schemas: [SCIM_GROUP_SCHEMA], displayName: "G", members: { value: "a" } }, "Group").members).toEqual([{ value: "a" }]);
  });
});
