import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyScimPatch, normalizeScimPatch, normalizeScimResource, SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_RESOURCE_SCHEMA, SCIM_USER_RESOURCE_SCHEMA, type ScimGroupDoc, type ScimUserDoc } from "@/lib/scim/patch";
import { ScimError } from "@/lib/scim/scim-error";
import { patch, patchOp } from "./scim-patch-support";

const ENT = SCIM_ENTERPRISE_USER_SCHEMA;
const text = fc.string({ minLength: 1, maxLength: 12 });
const SIMPLE = ["title", "nickName", "displayName", "locale", "timezone", "userType", "preferredLanguage", "externalId", "profileUrl"] as const;

/** Random valid users, built through the same normaliser a POST uses. */
const userArb = fc
  .record(
    {
      userName: fc.stringMatching(/^[a-z][a-z0-9.@-]{0,15}$/),
      title: text,
      active: fc.boolean(),
      name: fc.record({ givenName: text, familyName: text }, { requiredKeys: [] }),
      emails: fc.uniqueArray(fc.record({ value: text, type: fc.constantFrom("work", "home", "other") }), { maxLength: 4, selector: (e) => `${e.value.toLowerCase()}|${e.type}` }),
      [ENT]: fc.record({ department: text, costCenter: text }, { requiredKeys: [] }),
    },
    { requiredKeys: ["userName"] },
  )
  .map((body) => normalizeScimResource({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENT], ...body }, "User"));

const groupArb = fc
  .uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 8 })
  .map((ids): ScimGroupDoc => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "G", ...(ids.length ? { members: ids.map((value) => ({ value })) } : {}) }));

/** Paths a client might send: known, unknown, filtered, malformed. */
const pathArb = fc.oneof(
  fc.constantFrom(
    "title",
    "active",
    "name",
    "name.givenName",
    "emails",
    'emails[type eq "work"]',
    'emails[type eq "work"].value',
    "emails.value",
    "userName",
    "id",
    "meta",
    "groups",
    "members",
    'members[value eq "a"]',
    `${ENT}:department`,
    `${ENT}:manager.value`,
    ENT,
    "bogus",
    "emails[",
    "name[givenName eq 1]",
    "__proto__",
    "constructor.prototype",
  ),
  fc.string({ maxLength: 20 }),
);
/** Values of the types the attributes hold, so many random ops get past validation and are applied. */
const typedValueArb = fc.oneof(
  text,
  fc.boolean(),
  fc.constantFrom("True", "False", null),
  fc.record({ value: text, type: fc.constantFrom("work", "home"), primary: fc.boolean() }, { requiredKeys: ["value"] }),
  fc.array(fc.record({ value: fc.constantFrom("a", "b", "c") }), { maxLength: 3 }),
  fc.record({ givenName: text, title: text, active: fc.boolean(), "name.familyName": text, [`${ENT}:department`]: text }, { requiredKeys: [] }),
);
const opArb = fc.record(
  { op: fc.constantFrom("add", "replace", "remove", "Add", "REPLACE", "delete", 1), path: fc.option(pathArb, { nil: undefined }), value: fc.oneof(typedValueArb, fc.jsonValue({ maxDepth: 3 })) },
  { requiredKeys: ["op"] },
);
const bodyArb = fc.oneof(fc.record({ schemas: fc.constant(["urn:ietf:params:scim:api:messages:2.0:PatchOp"]), Operations: fc.array(opArb, { maxLength: 6 }) }), fc.jsonValue({ maxDepth: 4 }));

function onlyScimErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    expect(error.status).toBe(400);
    expect(error.message.length).toBeGreaterThan(0);
  }
}

describe("PATCH properties", () => {
  it("random bodies against users and groups throw nothing but a 400 ScimError", () => {
    fc.assert(
      fc.property(bodyArb, userArb, groupArb, (body, user, group) => {
        onlyScimErrors(() => applyScimPatch(user, normalizeScimPatch(body, "User"), SCIM_USER_RESOURCE_SCHEMA));
        onlyScimErrors(() => applyScimPatch(group, normalizeScimPatch(body, "Group"), SCIM_GROUP_RESOURCE_SCHEMA));
      }),
      { numRuns: 400 },
    );
  });

  it("random resource bodies throw nothing but a 400 ScimError", () => {
    const resourceArb = fc.dictionary(fc.constantFrom("schemas", "userName", "displayName", "emails", "members", "active", "name", ENT, "groups", "id"), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(
      fc.property(resourceArb, (body) => {
        onlyScimErrors(() => normalizeScimResource(body, "User"));
        onlyScimErrors(() => normalizeScimResource(body, "Group"));
      }),
      { numRuns: 300 },
    );
  });

  it("apply is deterministic and never changes its input", () => {
    fc.assert(
      fc.property(bodyArb, userArb, (body, user) => {
        const before = structuredClone(user);
        let ops;
        try {
          ops = normalizeScimPatch(body, "User");
        } catch {
          return;
        }
        const run = () => {
          try {
            return applyScimPatch(user, ops, SCIM_USER_RESOURCE_SCHEMA);
          } catch (error) {
            return (error as ScimError).message;
          }
        };
        expect(run()).toEqual(run());
        expect(user).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it("changed is empty exactly when the document is unchanged", () => {
    fc.assert(
      fc.property(bodyArb, userArb, (body, user) => {
        try {
          const { resource, changed } = patch(user, body, "User");
          const strip = (d: ScimUserDoc) => ({ ...d, schemas: undefined });
          if (changed.size === 0) expect(strip(resource)).toEqual(strip(user));
          else expect(strip(resource)).not.toEqual(strip(user));
        } catch (error) {
          if (!(error instanceof ScimError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("add of an absent attribute, then its remove, is the identity", () => {
    fc.assert(
      fc.property(userArb, fc.constantFrom(...SIMPLE), text, (user, attr, value) => {
        fc.pre(!(attr in user));
        const added = patch(user, patchOp({ op: "add", path: attr, value }), "User");
        expect(added.changed).toEqual(new Set([attr]));
        const removed = patch(added.resource, patchOp({ op: "remove", path: attr }), "User");
        expect(removed.resource).toEqual(user);
      }),
    );
  });

  it("adding an absent member, then removing it by filter or by value list, is the identity", () => {
    fc.assert(
      fc.property(groupArb, fc.stringMatching(/^[A-Z]{1,6}$/), fc.boolean(), (group, id, byList) => {
        const added = patch(group, patchOp({ op: "add", path: "members", value: [{ value: id }] }), "Group");
        expect(added.resource.members?.at(-1)).toEqual({ value: id });
        const removal = byList ? { op: "Remove", path: "members", value: [{ value: id }] } : { op: "remove", path: `members[value eq "${id}"]` };
        expect(patch(added.resource, patchOp(removal), "Group").resource).toEqual(group);
      }),
    );
  });

  it("a replace applied twice is the same as once, and at most one email stays primary", () => {
    fc.assert(
      fc.property(userArb, fc.array(fc.record({ value: text, primary: fc.boolean() }), { minLength: 1, maxLength: 3 }), (user, adds) => {
        const body = patchOp(...adds.map((e) => ({ op: "add", path: "emails", value: e })));
        const once = patch(user, body, "User").resource;
        expect((once.emails ?? []).filter((e) => e.primary === true).length).toBeLessThanOrEqual(1);
        const replace = patchOp({ op: "replace", path: "title", value: "T" }, { op: "replace", path: `${ENT}:department`, value: "D" });
        const r1 = patch(once, replace, "User");
        const r2 = patch(r1.resource, replace, "User");
        expect(r2.resource).toEqual(r1.resource);
        expect(r2.changed.size).toBe(0);
      }),
    );
  });

  it("huge and deep bodies are refused quickly, never a stack overflow", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 50_000; i++) deep = { a: deep };
    const started = Date.now();
    expect(() => normalizeScimPatch(patchOp({ op: "replace", value: deep }), "User")).toThrow(ScimError);
    const many = patchOp(...Array.from({ length: 1000 }, (_, i) => ({ op: "add", path: "members", value: [{ value: `m${i}` }] })));
    const empty: ScimGroupDoc = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "G" };
    const result = patch(empty, many, "Group");
    expect(result.resource.members).toHaveLength(1000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a batch of member adds and removals gives what applying them one request at a time gives", () => {
    const memberOp = fc.oneof(
      fc.record({ op: fc.constant("add"), path: fc.constant("members"), value: fc.array(fc.record({ value: fc.constantFrom("a", "b", "c", "d", "A"), display: fc.constantFrom("x", "y") }, { requiredKeys: ["value"] }), { maxLength: 3 }) }),
      fc.constantFrom("a", "b", "c", "d", "A").map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })),
      fc.constantFrom("a", "b", "c").map((id) => ({ op: "Remove", path: "members", value: [{ value: id }] })),
      fc.constant({ op: "replace", path: "displayName", value: "Renamed" }),
    );
    fc.assert(
      fc.property(groupArb, fc.array(memberOp, { minLength: 1, maxLength: 12 }), (group, operations) => {
        const together = patch(group, patchOp(...operations), "Group");
        let oneByOne: ScimGroupDoc = group;
        const changed = new Set<string>();
        for (const operation of operations) {
          const step = patch(oneByOne, patchOp(operation), "Group");
          oneByOne = step.resource;
          step.changed.forEach((c) => changed.add(c));
        }
        expect(together.resource).toEqual(oneByOne);
        if (together.changed.size > 0) for (const c of together.changed) expect(changed).toContain(c);
      }),
      { numRuns: 300 },
    );
  });

  it("a PATCH that would walk a big list too many times is refused with tooMany", () => {
    const members = Array.from({ length: 20_000 }, (_, i) => ({ value: `m${i}` }));
    const big: ScimGroupDoc = { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "G", members };
    const alternating = Array.from({ length: 1000 }, (_, i) => (i % 2 ? { op: "add", path: "members", value: [{ value: `n${i}` }] } : { op: "remove", path: `members[value eq "m${i}"]` }));
    const started = Date.now();
    let error: unknown;
    try {
      patch(big, patchOp(...alternating), "Group");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimError);
    expect((error as ScimError).scimType).toBe("tooMany");
    expect(Date.now() - started).toBeLessThan(10_000);
    // The same work as one removal list and one add list passes.
    const removals = alternating.filter((o) => o.op === "remove").map((o) => ({ value: o.path.slice('members[value eq "'.length, -2) }));
    const batched = patch(big, patchOp({ op: "remove", path: "members", value: removals }, { op: "add", path: "members", value: alternating.filter((o) => o.op === "add").flatMap((o) => o.value ?? []) }), "Group");
    expect(batched.resource.members).toHaveLength(20_000);
  });
});
