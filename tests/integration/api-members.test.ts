import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiTokens, auditEvents, memberships, roles, users } from "@/db/schema";
import * as memberItem from "@/app/api/v1/members/[id]/route";
import * as memberList from "@/app/api/v1/members/route";
import * as memberSessions from "@/app/api/v1/members/[id]/sessions/revoke/route";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { asOperator, operatorDb } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";
import { callRoute } from "./isolation-world";
import { MAX_COLLECTED_MEMBER_MATCHES } from "@/lib/identity/member-search";
import { enrollTotp, signInAs } from "../support/sign-in-helpers";

type Handler = Parameters<typeof callRoute>[0];
const h = (fn: unknown) => fn as Handler;

async function setup() {
  const org = await makeOrg("Members Api Co");
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const berlin = await makeBranch(org.operator, "Berlin");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  const roleId = async (name: string) => (await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, org.id), eq(roles.name, name)))))[0]!.id;
  const token = async (email: string) => (await runCommand(createApiTokenCommand, org.operator, meta, { email })).token;
  return { org, na, chicago, berlin, admin, manager, viewer, roles: { buyer: await roleId("Buyer"), viewer: await roleId("Viewer"), approver: await roleId("Approver") }, tokens: { admin: await token(admin.email), manager: await token(manager.email), viewer: await token(viewer.email) } };
}

const eventsFor = (membershipId: string) => operatorDb().select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.targetId, membershipId));

describe("REST: members", () => {
  it("POST /api/v1/members invites with a role at a branch; the member is invited, from an invitation, and listed", async () => {
    const t = await setup();
    const email = `${unique("new")}@example.test`;
    const res = await callRoute(h(memberList.POST), t.tokens.manager, "POST", "/api/v1/members", { body: { email, name: "New Person", roleName: "Buyer", branchId: t.chicago.id } });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ email, name: "New Person", status: "invited", source: "invitation", mfa: null, lastSignInAt: null, grants: [{ role: "Buyer", branch: "Chicago" }] });
    const listed = await (await callRoute(h(memberList.GET), t.tokens.manager, "GET", `/api/v1/members?q=${encodeURIComponent(email.slice(0, 12))}`)).json();
    expect(listed.data.map((m: { membershipId: string }) => m.membershipId)).toEqual([created.membershipId]);
    expect((await eventsFor(created.membershipId)).map((e) => e.action)).toEqual(["member.created"]);
  });

  it("GET /api/v1/members sorts by email, name or status, pages by keyset both ways and filters by status, role, branch and source", async () => {
    const t = await setup();
    for (let i = 0; i < 5; i++) await makeMember(t.org.operator, { roleName: "Buyer", branchId: t.berlin.id, email: `${unique(`zz${i}`)}@example.test` });
    const all = async (query: string) => {
      const seen: Array<{ membershipId: string; email: string; name: string; status: string }> = [];
      let cursor: string | null = null;
      do {
        const page: { data: typeof seen; nextCursor: string | null } = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?limit=2&${query}${cursor ? `&cursor=${cursor}` : ""}`)).json();
        seen.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const byEmail = await all("sort=email");
    expect(byEmail).toHaveLength(8);
    expect(byEmail.map((m) => m.email.toLowerCase())).toEqual(byEmail.map((m) => m.email.toLowerCase()).sort());
    const byName = await all("sort=name");
    expect(byName.map((m) => m.name.toLowerCase())).toEqual(byName.map((m) => m.name.toLowerCase()).sort());
    await runCommand((await import("@/lib/identity/deactivate-member")).deactivateMemberCommand, t.org.operator, meta, { membershipId: byEmail[7]!.membershipId });
    const byStatus = await all("sort=status");
    expect(byStatus.map((m) => m.status)).toEqual([...Array(7).fill("active"), "deactivated"]);
    expect((await all("status=deactivated")).map((m) => m.membershipId)).toEqual([byEmail[7]!.membershipId]);
    expect(await all(`branchId=${t.berlin.id}`)).toHaveLength(5);
    expect(await all(`roleId=${t.roles.viewer}`)).toHaveLength(1);
    expect(await all("source=import")).toHaveLength(0);
    expect(await all("source=manual")).toHaveLength(8);
    expect(await all("mfa=on")).toHaveLength(0);
    // Backwards from the third page returns the second.
    const one = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", "/api/v1/members?limit=2")).json();
    const two = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?limit=2&cursor=${one.nextCursor}`)).json();
    const three = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?limit=2&cursor=${two.nextCursor}`)).json();
    const back = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?limit=2&before=${three.prevCursor}`)).json();
    expect(back.data).toEqual(two.data);
    // A cursor of one sort is refused under another, naming the parameter.
    const mixed = await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?sort=name&cursor=${one.nextCursor}`);
    expect(mixed.status).toBe(422);
    expect((await mixed.json()).errors).toHaveProperty("cursor");    // Nobody in this world has signed in; a bad day count names the parameter in plain words.
    expect(await all("noSignInDays=90")).toHaveLength(8);
    for (const bad of ["0", "abc", "1.5", "3651", "__proto__"]) {
      const refused = await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?noSignInDays=${bad}`);
      expect(refused.status, bad).toBe(422);
      expect(Object.keys((await refused.json()).errors), bad).toEqual(["noSignInDays"]);
    }
  });

  it("search finds a substring of the email or the name (three or more characters through the trigram function, fewer as a prefix), and the name follows the person's own rename", async () => {
    const t = await setup();
    const m = await makeMember(t.org.operator, { roleName: "Buyer", branchId: t.chicago.id, email: `${unique("quokka")}@example.test` });
    await asOperator((tx) => tx.update(users).set({ name: "Xavier Plumtree" }).where(eq(users.id, m.userId)));
    const find = async (q: string) => (await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?q=${encodeURIComponent(q)}`)).json()).data.map((r: { membershipId: string }) => r.membershipId);
    expect(await find("uokk")).toEqual([m.membershipId]);
    expect(await find("PLUMTREE")).toEqual([m.membershipId]);
    expect(await find("xa")).toEqual([m.membershipId]);
    expect(await find("%")).toEqual([]);
    // The manager reads only members with a grant in North America: Berlin's are not found.
    const berliner = await makeMember(t.org.operator, { roleName: "Buyer", branchId: t.berlin.id, email: `${unique("quokka")}@example.test` });
    const managerSees = (await (await callRoute(h(memberList.GET), t.tokens.manager, "GET", "/api/v1/members?q=quokka")).json()).data.map((r: { membershipId: string }) => r.membershipId);
    expect(managerSees).toEqual([m.membershipId]);
    expect(managerSees).not.toContain(berliner.membershipId);
  });

  it("PATCH /api/v1/members/{id} replaces a member's grants in one step and one event; changing a role is replace, not add-then-revoke", async () => {
    const t = await setup();
    const res = await callRoute(h(memberItem.PATCH), t.tokens.manager, "PATCH", "/api/v1/members/x", { params: { id: t.viewer.membershipId }, body: { grants: [{ roleId: t.roles.buyer, branchId: t.chicago.id }] } });
    expect(res.status).toBe(200);
    expect((await res.json()).grants).toMatchObject([{ role: "Buyer", branch: "Chicago" }]);
    const events = (await eventsFor(t.viewer.membershipId)).filter((e) => e.action === "member.updated");
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toMatchObject({ grants: { added: [{ role: "Buyer", branch: "Chicago" }], removed: [{ role: "Viewer", branch: "Chicago" }] } });
  });

  it("A member cannot change their own role, grants, org or branch by any route (PATCH /api/v1/members/{id} on oneself is 403)", async () => {
    const t = await setup();
    const own = await callRoute(h(memberItem.PATCH), t.tokens.manager, "PATCH", "/api/v1/members/x", { params: { id: t.manager.membershipId }, body: { grants: [{ roleId: t.roles.buyer, branchId: null }] } });
    expect(own.status).toBe(403);
    const ownStatus = await callRoute(h(memberItem.PATCH), t.tokens.manager, "PATCH", "/api/v1/members/x", { params: { id: t.manager.membershipId }, body: { status: "deactivated" } });
    expect(ownStatus.status).toBe(403);
  });

  it("Deactivating or deleting a user ends all their sessions at once: PATCH status deactivated revokes the member's API tokens in the same transaction, DELETE removes the membership and keeps its history", async () => {
    const t = await setup();
    const off = await callRoute(h(memberItem.PATCH), t.tokens.admin, "PATCH", "/api/v1/members/x", { params: { id: t.viewer.membershipId }, body: { status: "deactivated" } });
    expect(off.status).toBe(200);
    expect((await off.json()).status).toBe("deactivated");
    const live = await operatorDb().select({ revokedAt: apiTokens.revokedAt }).from(apiTokens).where(eq(apiTokens.membershipId, t.viewer.membershipId));
    expect(live.every((k) => k.revokedAt !== null)).toBe(true);
    const ended = await operatorDb().select({ at: memberships.sessionsRevokedAt }).from(memberships).where(eq(memberships.id, t.viewer.membershipId));
    expect(ended[0]!.at).not.toBeNull();
    // The viewer's token no longer works.
    expect((await callRoute(h(memberList.GET), t.tokens.viewer, "GET", "/api/v1/members")).status).toBe(401);
    const again = await callRoute(h(memberItem.PATCH), t.tokens.admin, "PATCH", "/api/v1/members/x", { params: { id: t.viewer.membershipId }, body: { status: "active" } });
    expect((await again.json()).status).toBe("active");

    const gone = await callRoute(h(memberItem.DELETE), t.tokens.admin, "DELETE", "/api/v1/members/x", { params: { id: t.viewer.membershipId } });
    expect(gone.status).toBe(200);
    expect((await callRoute(h(memberItem.GET), t.tokens.admin, "GET", "/api/v1/members/x", { params: { id: t.viewer.membershipId } })).status).toBe(404);
    const history = await eventsFor(t.viewer.membershipId);
    expect(history.map((e) => e.action)).toEqual(expect.arrayContaining(["member.created", "member.updated", "member.removed"]));
    expect(history.find((e) => e.action === "member.removed")!.metadata).toMatchObject({ before: { status: "active", grants: [{ role: "Viewer", branch: "Chicago" }] } });
  });

  it("PATCH renames an invited member (what the inviter typed) but not a joined person's own account", async () => {
    const t = await setup();
    const invited = await (await callRoute(h(memberList.POST), t.tokens.admin, "POST", "/api/v1/members", { body: { email: `${unique("inv")}@example.test`, roleName: "Buyer" } })).json();
    const renamed = await callRoute(h(memberItem.PATCH), t.tokens.admin, "PATCH", "/api/v1/members/x", { params: { id: invited.membershipId }, body: { name: "Typed Again" } });
    expect((await renamed.json()).name).toBe("Typed Again");
    const joined = await callRoute(h(memberItem.PATCH), t.tokens.admin, "PATCH", "/api/v1/members/x", { params: { id: t.viewer.membershipId }, body: { name: "Not Yours" } });
    expect(joined.status).toBe(403);
  });

  it("POST /api/v1/members/{id}/sessions/revoke ends the member's sessions here, with or without a body", async () => {
    const t = await setup();
    const res = await callRoute(h(memberSessions.POST), t.tokens.admin, "POST", "/api/v1/members/x/sessions/revoke", { params: { id: t.viewer.membershipId } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ scope: "organization", count: null });
    const everywhere = await callRoute(h(memberSessions.POST), t.tokens.admin, "POST", "/api/v1/members/x/sessions/revoke", { params: { id: t.viewer.membershipId }, body: { scope: "everywhere" } });
    expect(everywhere.status).toBe(403);
  });

  it("a joined member's row shows their last sign-in and whether they have a second factor; the mfa filter follows it", async () => {
    const t = await setup();
    const read = async () => (await callRoute(h(memberItem.GET), t.tokens.admin, "GET", "/api/v1/members/x", { params: { id: t.viewer.membershipId } })).json();
    expect(await read()).toMatchObject({ mfa: "off", lastSignInAt: null });
    const signed = await signInAs(t.viewer.email);
    expect((await read()).lastSignInAt).toEqual(expect.stringMatching(/^\d{4}-/));
    await enrollTotp(signed.token);
    expect((await read()).mfa).toBe("on");
    const withMfa = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", "/api/v1/members?mfa=on")).json();
    expect(withMfa.data.map((m: { membershipId: string }) => m.membershipId)).toEqual([t.viewer.membershipId]);
  });

  it("a term matching more members than the search function collects still pages in email order, both ways", async () => {
    const t = await setup();
    // Bulk rows as the operator (test setup): more matches than MAX_COLLECTED_MEMBER_MATCHES.
    await asOperator((tx) =>
      tx.execute(sql`with u as (insert into users (email, name) select 'walrus' || i || '@example.test', 'Walrus ' || i from generate_series(1, ${MAX_COLLECTED_MEMBER_MATCHES + 50}) i returning id)
        insert into memberships (org_id, user_id, status) select ${t.org.id}, id, 'active' from u`),
    );
    const one = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", "/api/v1/members?q=walrus&limit=100")).json();
    const emails = one.data.map((m: { email: string }) => m.email);
    expect(emails).toHaveLength(100);
    expect(emails).toEqual([...emails].sort());
    expect(emails.every((e: string) => e.startsWith("walrus"))).toBe(true);
    const two = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?q=walrus&limit=100&cursor=${one.nextCursor}`)).json();
    expect(two.data[0].email > emails[99]).toBe(true);
    const back = await (await callRoute(h(memberList.GET), t.tokens.admin, "GET", `/api/v1/members?q=walrus&limit=100&before=${two.prevCursor}`)).json();
    expect(back.data.map((m: { email: string }) => m.email)).toEqual(emails);
  });
});

