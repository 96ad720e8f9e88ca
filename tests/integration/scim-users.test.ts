import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as userItem from "@/app/api/scim/v2/Users/[id]/route";
import * as userList from "@/app/api/scim/v2/Users/route";
import * as userSearch from "@/app/api/scim/v2/Users/.search/route";
import { apiTokens, auditEvents, grants, memberships, roles, scimUsers, users } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { getDb } from "@/db/client";
import { readAs } from "@/lib/core/read-as";
import { findScimLink } from "@/lib/scim/users/find-scim-link";
import { operatorDb } from "../support/as-operator";
import { makeMember, makeOrg, meta, unique } from "../support/factories";
import { callScim } from "../support/scim-client";
import { oktaUser, scimWorld } from "../support/scim-world";
import { memberPrincipalFor, signInAs } from "../support/sign-in-helpers";

type World = Awaited<ReturnType<typeof scimWorld>>;

async function createUser(w: World, body: unknown) {
  const res = await callScim(userList.POST, w.token, "POST", "/Users", { body });
  return { res, json: (await res.json()) as Record<string, unknown> & { id: string; meta: { version: string; location: string } } };
}

const membershipOf = async (scimId: string) => {
  const [row] = await operatorDb().select({ membership: memberships, user: users }).from(scimUsers).innerJoin(memberships, eq(memberships.id, scimUsers.membershipId)).innerJoin(users, eq(users.id, scimUsers.userId)).where(eq(scimUsers.id, scimId));
  return row!;
};

const grantsOf = (membershipId: string) =>
  operatorDb().select({ role: roles.name, branchId: grants.branchId }).from(grants).innerJoin(roles, eq(roles.id, grants.roleId)).where(eq(grants.membershipId, membershipId)).orderBy(roles.name);

describe("SCIM Users: create and read", () => {
  it("POST at an owned domain makes a managed, active member: 201, Location, ETag, application/scim+json, the body echoed, audited as the token", async () => {
    const w = await scimWorld();
    const body = oktaUser(w.domain, { department: "Sales" });
    const { res, json } = await createUser(w, body);
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    expect(res.headers.get("location")).toBe(json.meta.location);
    expect(json.meta.location).toMatch(new RegExp(`/api/scim/v2/Users/${json.id}$`));
    expect(res.headers.get("etag")).toBe(json.meta.version);
    expect(json).toMatchObject({ userName: body.userName, externalId: body.externalId, active: true, name: { givenName: "Test", familyName: "User" }, emails: body.emails, groups: [] });
    expect(json).not.toHaveProperty("password");
    const { membership, user } = await membershipOf(json.id);
    expect(membership).toMatchObject({ status: "active", source: "scim", orgId: w.org.id });
    expect(user.email).toBe(body.userName);
    expect(user.passwordHash).toBeNull();
    expect((await grantsOf(membership.id)).map((g) => [g.role, g.branchId])).toEqual([["Viewer", w.sales.id]]);
    const [event] = await operatorDb().select().from(auditEvents).where(and(eq(auditEvents.orgId, w.org.id), eq(auditEvents.action, "scim.user.created")));
    expect(event).toMatchObject({ actorType: "scim", actorId: w.tokenId, targetId: json.id, targetLabel: body.userName });
    const read = await callScim(userItem.GET, w.token, "GET", `/Users/${json.id}`, { params: { id: json.id } });
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe(json.meta.version);
    expect(await read.json()).toEqual(json);
  });

  it("userName is unique per org whatever its case (409 uniqueness); another org may use it", async () => {
    const w = await scimWorld();
    const body = oktaUser(w.domain);
    expect((await createUser(w, body)).res.status).toBe(201);
    const again = await createUser(w, { ...body, userName: body.userName.toUpperCase(), externalId: "other" });
    expect(again.res.status).toBe(409);
    expect(again.json).toMatchObject({ scimType: "uniqueness", status: "409" });
    const other = await scimWorld();
    expect((await createUser(other, body)).res.status).toBe(201);
  });

  it("an address outside the owned domains gets an invited membership, never an active one; active is echoed as the IdP set it", async () => {
    const w = await scimWorld();
    const { json } = await createUser(w, oktaUser(w.domain, { userName: `${unique("guest")}@elsewhere.example` }));
    expect(json.active).toBe(true);
    const { membership } = await membershipOf(json.id);
    expect(membership.status).toBe("invited");
  });

  it("never takes over an existing account outside the owned domains: the person is invited and their account is untouched", async () => {
    const other = await makeOrg("Elsewhere");
    const email = `${unique("someone")}@elsewhere.example`;
    const person = await makeMember(other.operator, { email });
    const w = await scimWorld();
    const { json } = await createUser(w, oktaUser(w.domain, { userName: unique("jdoe"), email }));
    const { membership, user } = await membershipOf(json.id);
    expect(user.id).toBe(person.userId);
    expect(user.passwordHash).not.toBeNull();
    expect(membership).toMatchObject({ status: "invited", invitedEmail: email });
    // Nor renames it: the person's account keeps the name they chose.
    await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, { params: { id: json.id }, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Taken Over" }] } });
    expect((await membershipOf(json.id)).user.name).toBe(user.name);
    // Signing in with their password does not open this org: the invitation is not accepted.
    const signedIn = await signInAs(email);
    await expect(memberPrincipalFor(signedIn.token, w.org.slug)).rejects.toThrow("not a member");
  });

  it("keys by SCIM id and userName, never email: a shared mailbox gives the second user no sign-in email (SSO only)", async () => {
    const w = await scimWorld();
    const shared = `${unique("team")}@${w.domain}`;
    const first = await createUser(w, oktaUser(w.domain, { userName: unique("alice"), email: shared }));
    const second = await createUser(w, oktaUser(w.domain, { userName: unique("bob"), email: shared }));
    expect(second.res.status).toBe(201);
    const [a, b] = await Promise.all([membershipOf(first.json.id), membershipOf(second.json.id)]);
    expect(a.user.email).toBe(shared);
    expect(b.user.email).toMatch(/@sso-only\.invalid$/);
    expect(b.user.id).not.toBe(a.user.id);
    const [row] = await operatorDb().select({ signInEmail: scimUsers.signInEmail }).from(scimUsers).where(eq(scimUsers.id, second.json.id));
    expect(row!.signInEmail).toBeNull();
    // The member page says so: SSO only for the second, not the first.
    const links = await readAs(w.org.operator, (tx) => Promise.all([findScimLink(tx, w.org.id, a.membership.id), findScimLink(tx, w.org.id, b.membership.id)]));
    expect(links.map((l) => l?.ssoOnly)).toEqual([false, true]);
    // A userName that is not an email at all works the same.
    expect((await createUser(w, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "not-an-email" })).res.status).toBe(201);
  });

  it("GET /Users filters in SQL (userName case-insensitively, value paths, and/or/not), sorts, pages with startIndex/count and projects attributes", async () => {
    const w = await scimWorld();
    const made = [];
    for (const n of ["carol", "alice", "bob"]) made.push((await createUser(w, oktaUser(w.domain, { userName: `${n}.${unique("x")}@${w.domain}`, department: n === "bob" ? "Sales" : undefined }))).json);
    const list = async (query: string) => (await callScim(userList.GET, w.token, "GET", `/Users?${query}`)).json();
    const byName = await list(`filter=${encodeURIComponent(`userName eq "${String(made[1]!.userName).toUpperCase()}"`)}`);
    expect(byName).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect(byName.Resources[0].id).toBe(made[1]!.id);
    const work = await list(`filter=${encodeURIComponent(`emails[type eq "work" and value sw "bob."] or userName sw "carol."`)}`);
    expect(work.Resources.map((r: { id: string }) => r.id).sort()).toEqual([made[0]!.id, made[2]!.id].sort());
    const dept = await list(`filter=${encodeURIComponent(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "sales"`)}`);
    expect(dept.Resources.map((r: { id: string }) => r.id)).toEqual([made[2]!.id]);
    const not = await list(`filter=${encodeURIComponent(`not (userName sw "bob.") and active eq true`)}&sortBy=userName&sortOrder=descending`);
    expect(not.Resources.map((r: { id: string }) => r.id)).toEqual([made[0]!.id, made[1]!.id]);
    const sorted = await list("sortBy=userName&startIndex=2&count=1");
    expect(sorted).toMatchObject({ totalResults: 3, startIndex: 2, itemsPerPage: 1 });
    expect(sorted.Resources[0].id).toBe(made[2]!.id);
    const counted = await list("count=0");
    expect(counted).toMatchObject({ totalResults: 3, itemsPerPage: 0, Resources: [] });
    const projected = await list("attributes=userName,name.givenName&count=1&sortBy=userName");
    expect(Object.keys(projected.Resources[0]).sort()).toEqual(["id", "meta", "name", "schemas", "userName"]);
    expect(projected.Resources[0].name).toEqual({ givenName: "Test" });
    const excluded = await list("excludedAttributes=emails,groups&count=1");
    expect(excluded.Resources[0]).not.toHaveProperty("emails");
    expect(excluded.Resources[0]).not.toHaveProperty("groups");
    expect(excluded.Resources[0]).toHaveProperty("userName");
  });
});

describe("SCIM Users: change and deprovision", () => {
  it("Okta's PATCH {active:false} deactivates the membership and, in the same transaction, ends its sessions here and revokes its API tokens", async () => {
    const w = await scimWorld();
    const email = `${unique("worker")}@${w.domain}`;
    const member = await makeMember(w.org.operator, { email, roleName: "Buyer" });
    const { json } = await createUser(w, oktaUser(w.domain, { userName: email }));
    expect((await membershipOf(json.id)).membership.id).toBe(member.membershipId);
    const session = await signInAs(email);
    expect((await memberPrincipalFor(session.token, w.org.slug)).membershipId).toBe(member.membershipId);
    const { token: apiToken } = await runCommand(createApiTokenCommand, w.org.operator, meta, { email });
    const patched = await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, {
      params: { id: json.id },
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] },
    });
    expect(patched.status).toBe(200);
    const after = await patched.json();
    expect(after.active).toBe(false);
    expect(after.meta.version).not.toBe(json.meta.version);
    await expect(memberPrincipalFor(session.token, w.org.slug)).rejects.toThrow("not a member");
    expect(await resolveApiToken(getDb(), apiToken)).toBeNull();
    // now() is the transaction's start: equal instants mean one transaction did all three.
    const [row] = await operatorDb().execute<{ same: boolean; status: string }>(
      sql`select m.status::text as status, m.sessions_revoked_at = t.revoked_at as same from memberships m join api_tokens t on t.membership_id = m.id where m.id = ${member.membershipId}`,
    );
    expect(row).toEqual({ same: true, status: "deactivated" });
    const [event] = await operatorDb().select().from(auditEvents).where(and(eq(auditEvents.targetId, json.id), eq(auditEvents.action, "scim.user.updated")));
    expect(event).toMatchObject({ actorType: "scim", actorId: w.tokenId });
    expect(event!.metadata).toMatchObject({ tokensRevoked: 1, status: "deactivated" });
    // Reactivated by the IdP: a managed member is straight back in (a fresh sign-in needed).
    await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, { params: { id: json.id }, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "True" }] } });
    expect((await membershipOf(json.id)).membership.status).toBe("active");
  });

  it("DELETE is soft: 204, then GET is 404, the membership is deactivated and its tokens revoked; the userName is free again", async () => {
    const w = await scimWorld();
    const email = `${unique("leaver")}@${w.domain}`;
    const member = await makeMember(w.org.operator, { email });
    await runCommand(createApiTokenCommand, w.org.operator, meta, { email });
    const { json } = await createUser(w, oktaUser(w.domain, { userName: email }));
    const deleted = await callScim(userItem.DELETE, w.token, "DELETE", `/Users/${json.id}`, { params: { id: json.id } });
    expect(deleted.status).toBe(204);
    expect((await callScim(userItem.GET, w.token, "GET", `/Users/${json.id}`, { params: { id: json.id } })).status).toBe(404);
    expect((await callScim(userItem.DELETE, w.token, "DELETE", `/Users/${json.id}`, { params: { id: json.id } })).status).toBe(404);
    const [m] = await operatorDb().select().from(memberships).where(eq(memberships.id, member.membershipId));
    expect(m!.status).toBe("deactivated");
    const tokens = await operatorDb().select().from(apiTokens).where(eq(apiTokens.membershipId, member.membershipId));
    expect(tokens.every((t) => t.revokedAt !== null)).toBe(true);
    const list = await (await callScim(userList.GET, w.token, "GET", "/Users")).json();
    expect(list.totalResults).toBe(0);
    const again = await createUser(w, oktaUser(w.domain, { userName: email }));
    expect(again.res.status).toBe(201);
    expect((await membershipOf(again.json.id)).membership).toMatchObject({ id: member.membershipId, status: "active" });
  });

  it("PUT replaces the document (Okta's PUT repeats id, meta and groups); enterprise attributes move the mapped grant", async () => {
    const w = await scimWorld();
    const body = oktaUser(w.domain, { department: "Sales" });
    const { json } = await createUser(w, body);
    const { membership } = await membershipOf(json.id);
    expect((await grantsOf(membership.id)).map((g) => g.role)).toEqual(["Viewer"]);
    const put = await callScim(userItem.PUT, w.token, "PUT", `/Users/${json.id}`, {
      params: { id: json.id },
      body: { ...json, name: { givenName: "Renamed", familyName: "User" }, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Support" } },
    });
    expect(put.status).toBe(200);
    const replaced = await put.json();
    expect(replaced.name).toEqual({ givenName: "Renamed", familyName: "User" });
    expect(replaced["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]).toEqual({ department: "Support" });
    expect(await grantsOf(membership.id)).toEqual([]);
    // The org owns this managed account: the directory's rename is the account's name.
    expect((await membershipOf(json.id)).user.name).toBe(body.displayName);
    const renamed = await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, { params: { id: json.id }, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Renamed Person" }] } });
    expect(renamed.status).toBe(200);
    expect((await membershipOf(json.id)).user.name).toBe("Renamed Person");
  });

  it("If-Match: a stale version is 412 and writes nothing; two PATCHes racing on one version: one wins, the other is 412", async () => {
    const w = await scimWorld();
    const { json } = await createUser(w, oktaUser(w.domain));
    const patch = (value: string, ifMatch: string) =>
      callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, {
        params: { id: json.id },
        headers: { "if-match": ifMatch },
        body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value }] },
      });
    const results = await Promise.all([patch("First", json.meta.version), patch("Second", json.meta.version)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const loser = results.find((r) => r.status === 412)!;
    expect(await loser.json()).toMatchObject({ status: "412", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
    const winner = await results.find((r) => r.status === 200)!.json();
    const current = await (await callScim(userItem.GET, w.token, "GET", `/Users/${json.id}`, { params: { id: json.id } })).json();
    expect(current.displayName).toBe(winner.displayName);
    expect((await patch("Third", winner.meta.version)).status).toBe(200);
    expect((await patch("Fourth", "*")).status).toBe(200);
    expect((await patch("Stale", json.meta.version)).status).toBe(412);
  });
});

describe("SCIM Users: invited people and renames", () => {
  it("an invited person deactivated and reactivated by the IdP is invited again with a fresh link (the old one stopped working)", async () => {
    const w = await scimWorld();
    const { json } = await createUser(w, oktaUser(w.domain, { userName: `${unique("guest")}@elsewhere.example` }));
    const { membership } = await membershipOf(json.id);
    const links = () => operatorDb().execute<{ used: boolean }>(sql`select used_at is not null as used from one_time_tokens where membership_id = ${membership.id} and purpose = 'invitation' order by created_at`);
    expect((await links()).map((l) => l.used)).toEqual([false]);
    const patch = (value: boolean) => callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, { params: { id: json.id }, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value }] } });
    expect((await patch(false)).status).toBe(200);
    expect((await membershipOf(json.id)).membership.status).toBe("deactivated");
    expect((await patch(true)).status).toBe(200);
    expect((await membershipOf(json.id)).membership.status).toBe("invited");
    expect((await links()).map((l) => l.used)).toEqual([true, false]);
  });

  it("renaming a User to another's userName, whatever its case, is 409 uniqueness and changes nothing", async () => {
    const w = await scimWorld();
    const a = await createUser(w, oktaUser(w.domain));
    const b = await createUser(w, oktaUser(w.domain));
    const res = await callScim(userItem.PATCH, w.token, "PATCH", `/Users/${b.json.id}`, { params: { id: b.json.id }, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "userName", value: String(a.json.userName).toUpperCase() }] } });
    expect(res.status).toBe(409);
    expect((await res.json()).scimType).toBe("uniqueness");
    expect((await (await callScim(userItem.GET, w.token, "GET", `/Users/${b.json.id}`, { params: { id: b.json.id } })).json()).userName).toBe(b.json.userName);
  });
});

describe("SCIM Users: isolation and bad input", () => {
  it("a token never reads or writes another org's users: 404 on every verb, and lists hold only its own", async () => {
    const a = await scimWorld("A");
    const b = await scimWorld("B");
    const { json } = await createUser(b, oktaUser(b.domain));
    const params = { params: { id: json.id } };
    expect((await callScim(userItem.GET, a.token, "GET", `/Users/${json.id}`, params)).status).toBe(404);
    expect((await callScim(userItem.PUT, a.token, "PUT", `/Users/${json.id}`, { ...params, body: oktaUser(a.domain) })).status).toBe(404);
    expect((await callScim(userItem.PATCH, a.token, "PATCH", `/Users/${json.id}`, { ...params, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] } })).status).toBe(404);
    expect((await callScim(userItem.DELETE, a.token, "DELETE", `/Users/${json.id}`, params)).status).toBe(404);
    expect((await (await callScim(userList.GET, a.token, "GET", `/Users?filter=${encodeURIComponent(`id eq "${json.id}"`)}`)).json()).totalResults).toBe(0);
    expect((await membershipOf(json.id)).membership.status).toBe("active");
    expect((await callScim(userItem.GET, a.token, "GET", "/Users/not-a-uuid", { params: { id: "not-a-uuid" } })).status).toBe(404);
    // POST /.search (RFC 7644 §3.4.3) is the same query in a body, with the same wall.
    const search = (token: string) => callScim(userSearch.POST, token, "POST", "/Users/.search", { body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: `id eq "${json.id}"`, attributes: ["userName"], count: 5 } });
    expect((await (await search(a.token)).json()).totalResults).toBe(0);
    const found = await (await search(b.token)).json();
    expect(found.totalResults).toBe(1);
    expect(Object.keys(found.Resources[0]).sort()).toEqual(["id", "meta", "schemas", "userName"]);
    expect((await callScim(userSearch.POST, b.token, "POST", "/Users/.search", { body: { filter: "userName eq" } })).status).toBe(400);
  });

  it("bad input is a 400 with the right scimType, never a 500", async () => {
    const w = await scimWorld();
    const { json } = await createUser(w, oktaUser(w.domain));
    const list = (filter: string) => callScim(userList.GET, w.token, "GET", `/Users?filter=${encodeURIComponent(filter)}`);
    const cases: Array<[Promise<Response>, number, string | undefined]> = [
      [list(`userName eq`), 400, "invalidFilter"],
      [list(`nosuch eq "x"`), 400, "invalidFilter"],
      [list(`userName eq "x" and (`), 400, "invalidFilter"],
      [callScim(userList.GET, w.token, "GET", "/Users?sortBy=nosuch"), 400, undefined],
      [callScim(userList.GET, w.token, "GET", "/Users?count=abc"), 400, "invalidValue"],
      [callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, { params: { id: json.id }, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "id", value: "x" }] } }), 400, "mutability"],
      [callScim(userItem.PATCH, w.token, "PATCH", `/Users/${json.id}`, { params: { id: json.id }, body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "nosuch.attr", value: "x" }] } }), 400, "invalidPath"],
      [callScim(userList.POST, w.token, "POST", "/Users", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] } }), 400, "invalidValue"],
      [callScim(userList.POST, w.token, "POST", "/Users", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "a\u0000b" } }), 400, undefined],
      [callScim(userList.POST, w.token, "POST", "/Users", { body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"p","__proto__":{"x":1}}` }), 400, undefined],
      [callScim(userList.POST, w.token, "POST", "/Users", { body: "{not json" }), 400, "invalidSyntax"],
      [callScim(userList.POST, w.token, "POST", "/Users", { body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "big", displayName: "x".repeat(1_100_000) } }), 400, "tooMany"],
    ];
    for (const [pending, status, scimType] of cases) {
      const res = await pending;
      const body = await res.json();
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/scim\+json/);
      expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
      if (scimType) expect(body.scimType, JSON.stringify(body)).toBe(scimType);
      expect(body.detail.length).toBeGreaterThan(5);
    }
  });
});
