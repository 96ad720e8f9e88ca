import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { authThrottle, memberships, users } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, UnauthorizedError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { acceptInvitationCommand, INVALID_INVITATION_LINK } from "@/lib/identity/accept-invitation";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { createMemberCommand } from "@/lib/identity/create-member";
import { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
import { findInvitation } from "@/lib/identity/find-one-time-link";
import { getMember } from "@/lib/identity/get-member";
import { listMembers, memberListQuerySchema } from "@/lib/identity/list-members";
import { OrgSessionEndedError } from "@/lib/identity/load-member-principal";
import { loadMemberSecurity } from "@/lib/identity/member-security";
import { verifyPassword } from "@/lib/identity/passwords";
import { reactivateMemberCommand } from "@/lib/identity/reactivate-member";
import { resolveApiToken } from "@/lib/identity/resolve-api-token";
import { resolveSession } from "@/lib/identity/resolve-session";
import { revokeMemberSessionsCommand } from "@/lib/identity/revoke-member-sessions";
import { sendMemberPasswordResetCommand } from "@/lib/identity/send-member-password-reset";
import { BLOCK_AFTER_FAILURES } from "@/lib/identity/throttle-keys";
import { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
import { answerMemberCreated, CREATED_NOTICES, createdNoticeKey } from "@/app/orgs/[org]/users/member-created";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta, TEST_PASSWORD, unique } from "../support/factories";
import { accountPrincipalFor, memberPrincipalFor, signInAs } from "../support/sign-in-helpers";
import { anonymous, auditRows, tokenOf } from "./one-time-links";

type Org = Awaited<ReturnType<typeof makeOrg>>;

const statusOf = async (membershipId: string) => (await asOperator((tx) => tx.select({ status: memberships.status }).from(memberships).where(eq(memberships.id, membershipId))))[0]?.status;
const passwordHashOf = async (userId: string) => (await asOperator((tx) => tx.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId))))[0]?.hash ?? null;

/** A principal right after a second-factor check, for the commands that need an MFA step-up. */
const steppedUp = (principal: Principal): Principal => ({ ...principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } });

/** Two orgs, a person active in A, and B's administrator. */
async function twoOrgs() {
  const a = await makeOrg("Org A");
  const b = await makeOrg("Org B");
  const person = await makeMember(a.operator, { roleName: "Buyer" });
  const bAdmin = await makeMember(b.operator, { roleName: "Admin" });
  return { a, b, person, bAdmin };
}

/** The person joins org B the way they now must: invited, then accepting signed in as themselves. */
async function joinSecondOrg(org: Org, email: string) {
  const created = await runCommand(createMemberCommand, org.operator, meta, { email, roleName: "Buyer" });
  if (created.invitation) {
    const session = (await signInAs(email)).session;
    await runCommand(acceptInvitationCommand, accountPrincipalFor(session), meta, { token: tokenOf(created.invitation.message.link) });
  }
  expect(await statusOf(created.membershipId)).toBe("active");
  return created;
}

async function deniedFor(command: string) {
  return (await auditRows("access.denied")).filter((e) => e.metadata.command === command && e.outcome === "denied");
}

describe("An org's admin acts on a member only within that org: an existing user joins another org only with their consent", () => {
  it("an existing user added to org B is invited there, not active, and cannot act in B until they accept", async () => {
    const { b, person, bAdmin, a } = await twoOrgs();
    const created = await runCommand(createMemberCommand, bAdmin.principal, meta, { email: person.email, roleName: "Viewer" });
    expect(created.status).toBe("invited");
    expect(await statusOf(created.membershipId)).toBe("invited");
    expect(created.invitation?.message.link).toContain("/invitation?token=");
    const signedIn = await signInAs(person.email);
    await expect(memberPrincipalFor(signedIn.token, b.slug)).rejects.toThrow();
    expect((await memberPrincipalFor(signedIn.token, a.slug)).org?.id).toBe(a.id);
  });

  it("accepting needs a session of that same person: no session, or someone else's, gets the invalid-link answer and the link stays usable", async () => {
    const { b, person, bAdmin } = await twoOrgs();
    const created = await runCommand(createMemberCommand, bAdmin.principal, meta, { email: person.email, roleName: "Viewer" });
    const token = tokenOf(created.invitation!.message.link);
    const before = await passwordHashOf(person.userId);
    const someoneElse = await makeMember(b.operator, { roleName: "Buyer" });

    const attempts: Array<[string, Principal, Record<string, string>]> = [
      ["no session", anonymous, {}],
      ["no session, choosing a password", anonymous, { password: "an attempt to take the account over" }],
      ["another person's session", accountPrincipalFor((await signInAs(someoneElse.email)).session), {}],
    ];
    for (const [what, principal, extra] of attempts) {
      const refused = await runCommand(acceptInvitationCommand, principal, meta, { token, ...extra }).catch((e: unknown) => e);
      expect(refused, what).toBeInstanceOf(UnauthorizedError);
      expect((refused as Error).message, what).toBe(INVALID_INVITATION_LINK);
      expect(await findInvitation(token), what).not.toBeNull();
      expect(await statusOf(created.membershipId), what).toBe("invited");
    }
    expect(await passwordHashOf(person.userId)).toBe(before);
    expect((await auditRows("invitation.accept.failed")).filter((e) => e.outcome === "denied").length).toBeGreaterThanOrEqual(attempts.length);

    const own = await signInAs(person.email);
    await runCommand(acceptInvitationCommand, accountPrincipalFor(own.session), meta, { token });
    expect(await statusOf(created.membershipId)).toBe("active");
    expect((await memberPrincipalFor(own.token, b.slug)).membershipId).toBe(created.membershipId);
    expect(await verifyPassword(await passwordHashOf(person.userId), TEST_PASSWORD)).toBe(true);
    expect(await findInvitation(token)).toBeNull();
  });

  it("the answer to 'add member' is the same whether or not the address has an account: the result, and the audit metadata", async () => {
    const { person, bAdmin } = await twoOrgs();
    const fresh = `${unique("fresh")}@example.test`;
    const withAccount = await runCommand(createMemberCommand, bAdmin.principal, meta, { email: person.email, roleName: "Viewer" });
    const without = await runCommand(createMemberCommand, bAdmin.principal, meta, { email: fresh, roleName: "Viewer" });
    // What differs by nature (the ids, the address, the link's secret) is set aside; nothing else may.
    const seen = (created: typeof withAccount, email: string) => ({
      keys: Object.keys(created).sort(),
      status: created.status,
      mailedTo: created.invitation?.to === email,
      subject: created.invitation?.message.subject,
      text: created.invitation?.message.text.split(created.invitation.message.link).join("<link>"),
    });
    expect(seen(withAccount, person.email)).toEqual(seen(without, fresh));
    const metadata = async (membershipId: string, email: string) => {
      const [event] = (await auditRows("member.created")).filter((e) => e.target_id === membershipId);
      return JSON.parse(JSON.stringify(event!.metadata).split(email).join("<email>")) as unknown;
    };
    expect(await metadata(withAccount.membershipId, person.email)).toEqual(await metadata(without.membershipId, fresh));
    // What the add-member action answers, and the notice the member page then shows.
    for (const delivered of [true, false]) {
      const answers = [withAccount, without].map((created) => ({ ...answerMemberCreated(created, delivered), membershipId: "<id>" }));
      expect(answers[0]).toEqual(answers[1]);
      expect(CREATED_NOTICES[createdNoticeKey(answers[0]!)]).toMatch(delivered ? /^Member added\. They were emailed an invitation/ : /^Member added, but the invitation mail could not be sent/);
    }
  });

  it("until they accept, the org's member list and member page show what the inviter typed, not the account's own name or spelling", async () => {
    const { person, bAdmin } = await twoOrgs();
    await asOperator((tx) => tx.update(users).set({ name: "Private Global Name" }).where(eq(users.id, person.userId)));
    const typed = person.email.toUpperCase();
    const created = await runCommand(createMemberCommand, bAdmin.principal, meta, { email: typed, name: "Typed By Inviter", roleName: "Viewer" });
    expect(created.invitation?.to).toBe(typed);
    const shown = async () => {
      const page = await readAs(bAdmin.principal, (tx) => listMembers(tx, bAdmin.principal, memberListQuerySchema.parse({ q: person.email.slice(0, 6) })));
      const detail = await readAs(bAdmin.principal, (tx) => getMember(tx, bAdmin.principal, created.membershipId));
      return { listed: page.data.find((m) => m.membershipId === created.membershipId), detail: { email: detail?.email, name: detail?.name } };
    };
    expect(await shown()).toEqual({ listed: expect.objectContaining({ membershipId: created.membershipId, email: typed, name: "Typed By Inviter", status: "invited", mfa: null, lastSignInAt: null }), detail: { email: typed, name: "Typed By Inviter" } });
    expect(JSON.stringify(await readAs(bAdmin.principal, (tx) => loadMemberSecurity(tx, bAdmin.principal, created.membershipId)))).not.toContain("Private Global Name");

    const own = await signInAs(person.email);
    await runCommand(acceptInvitationCommand, accountPrincipalFor(own.session), meta, { token: tokenOf(created.invitation!.message.link) });
    // Joined: now the org sees the person as they are.
    expect((await shown()).detail).toEqual({ email: person.email, name: "Private Global Name" });
  });

  it("someone whose only other membership is deactivated can still sign in to accept; a half-finished sign-in cannot accept", async () => {
    const { a, b, person } = await twoOrgs();
    await runCommand(deactivateMemberCommand, a.operator, meta, { membershipId: person.membershipId });
    const created = await runCommand(createMemberCommand, b.operator, meta, { email: person.email, roleName: "Viewer" });
    const token = tokenOf(created.invitation!.message.link);
    const session = (await signInAs(person.email)).session;
    const halfway = { ...accountPrincipalFor(session), pendingSignIn: "mfa" as const };
    await expect(runCommand(acceptInvitationCommand, halfway, meta, { token })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await findInvitation(token)).not.toBeNull();
    await runCommand(acceptInvitationCommand, accountPrincipalFor(session), meta, { token });
    expect(await statusOf(created.membershipId)).toBe("active");
  });

  it("the operator cannot set a password on an existing account either: refused naming the field, and nobody is added", async () => {
    const { b, person } = await twoOrgs();
    const refused = await runCommand(createMemberCommand, b.operator, meta, { email: person.email, password: "an operator chosen passphrase", roleName: "Viewer" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(Object.keys((refused as ValidationError).fieldErrors)).toEqual(["password"]);
    expect(await asOperator((tx) => tx.select().from(memberships).where(and(eq(memberships.orgId, b.id), eq(memberships.userId, person.userId))))).toHaveLength(0);
    expect(await verifyPassword(await passwordHashOf(person.userId), TEST_PASSWORD)).toBe(true);
  });
});

describe("An org's admin acts on a member only within that org: sessions, resets and the second-factor block", () => {
  it("org B ending a member's sessions ends them in B only: the same cookie keeps working in org A, and B needs a new sign-in", async () => {
    const { a, b, person, bAdmin } = await twoOrgs();
    const joined = await joinSecondOrg(b, person.email);
    const cookie = (await signInAs(person.email)).token;
    expect((await memberPrincipalFor(cookie, b.slug)).membershipId).toBe(joined.membershipId);

    expect(await runCommand(revokeMemberSessionsCommand, bAdmin.principal, meta, { membershipId: joined.membershipId })).toEqual({ scope: "organization", count: null });
    expect((await memberPrincipalFor(cookie, a.slug)).org?.id).toBe(a.id);
    await expect(memberPrincipalFor(cookie, b.slug)).rejects.toBeInstanceOf(OrgSessionEndedError);
    expect(await resolveSession(getDb(), cookie)).not.toBeNull();
    // No count: how many sessions the person has across their orgs is not B's to know.
    const [event] = (await auditRows("member.sessions.revoked")).filter((e) => e.target_id === joined.membershipId);
    expect(event).toMatchObject({ org_id: b.id, actor_id: bAdmin.userId, metadata: { member: person.email, scope: "organization" } });
    expect(event!.metadata).not.toHaveProperty("count");
    const again = (await signInAs(person.email)).token;
    expect((await memberPrincipalFor(again, b.slug)).membershipId).toBe(joined.membershipId);
  });

  it("org B cannot end the person's sessions everywhere, clear their second-factor block or send them a reset: 403, recorded as denied", async () => {
    const { a, b, person, bAdmin } = await twoOrgs();
    const joined = await joinSecondOrg(b, person.email);
    const cookie = (await signInAs(person.email)).token;
    await asOperator((tx) => tx.insert(authThrottle).values({ key: `mfa:${person.userId}`, failures: BLOCK_AFTER_FAILURES }));
    const input = { membershipId: joined.membershipId };

    await expect(runCommand(revokeMemberSessionsCommand, bAdmin.principal, meta, { ...input, scope: "everywhere" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runCommand(unblockMemberSecondFactorCommand, steppedUp(bAdmin.principal), meta, input)).rejects.toBeInstanceOf(ForbiddenError);
    const reset = await runCommand(sendMemberPasswordResetCommand, bAdmin.principal, meta, input).catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(ForbiddenError);
    expect((reset as Error).message).toMatch(/Forgot password/);

    expect((await memberPrincipalFor(cookie, a.slug)).org?.id).toBe(a.id);
    expect((await memberPrincipalFor(cookie, b.slug)).org?.id).toBe(b.id);
    expect(await asOperator((tx) => tx.select().from(authThrottle).where(eq(authThrottle.key, `mfa:${person.userId}`)))).toHaveLength(1);
    for (const command of ["member.sessions.revoked", "member.mfa.unblocked", "member.password_reset.sent"]) {
      const [denial] = await deniedFor(command);
      expect(denial, command).toMatchObject({ org_id: b.id, actor_id: bAdmin.userId, outcome: "denied" });
    }
  });

  it("org B's member page data holds no global session count or second-factor count", async () => {
    const { b, person, bAdmin } = await twoOrgs();
    const joined = await joinSecondOrg(b, person.email);
    await signInAs(person.email);
    await asOperator((tx) => tx.insert(authThrottle).values({ key: `mfa:${person.userId}`, failures: 7 }));
    const security = await readAs(bAdmin.principal, (tx) => loadMemberSecurity(tx, bAdmin.principal, joined.membershipId));
    expect(security).toMatchObject({ status: "active", canManage: true, account: null });
    expect(JSON.stringify(security)).not.toMatch(/openSessions|secondFactor/);
  });

  it("deactivating the person in org B does not end their session in org A", async () => {
    const { a, b, person, bAdmin } = await twoOrgs();
    const joined = await joinSecondOrg(b, person.email);
    const cookie = (await signInAs(person.email)).token;
    const apiToken = (await runCommand(createApiTokenCommand, b.operator, meta, { email: person.email })).token;
    const aToken = (await runCommand(createApiTokenCommand, a.operator, meta, { email: person.email })).token;
    expect(await runCommand(deactivateMemberCommand, bAdmin.principal, meta, { membershipId: joined.membershipId })).toEqual({ tokensRevoked: 1 });
    expect(await statusOf(joined.membershipId)).toBe("deactivated");
    expect((await memberPrincipalFor(cookie, a.slug)).org?.id).toBe(a.id);
    await expect(memberPrincipalFor(cookie, b.slug)).rejects.toThrow("not a member");
    expect(await resolveApiToken(getDb(), apiToken)).toBeNull();
    expect((await resolveApiToken(getDb(), aToken))?.org?.id).toBe(a.id);

    // Status, sessions here, tokens and the audit event: one transaction (one xmin on every row).
    const writers = await asOperator((tx) =>
      tx.execute<{ xid: string }>(sql`
        select xmin::text as xid from memberships where id = ${joined.membershipId} and sessions_revoked_at is not null
        union all select xmin::text from api_tokens where membership_id = ${joined.membershipId}
        union all select xmin::text from audit_events where action = 'member.deactivated' and target_id = ${joined.membershipId}`),
    );
    expect(writers).toHaveLength(3);
    expect(new Set(writers.map((w) => w.xid)).size).toBe(1);

    // Reactivated, they sign in again to act in B; the old session is still not accepted there.
    expect(await runCommand(reactivateMemberCommand, bAdmin.principal, meta, { membershipId: joined.membershipId })).toEqual({ status: "active" });
    await expect(memberPrincipalFor(cookie, b.slug)).rejects.toBeInstanceOf(OrgSessionEndedError);
    expect((await memberPrincipalFor((await signInAs(person.email)).token, b.slug)).membershipId).toBe(joined.membershipId);
  });

  it("reactivating an existing account's invitation that was never accepted makes it invited again, not active", async () => {
    const { b, person, bAdmin } = await twoOrgs();
    const created = await runCommand(createMemberCommand, bAdmin.principal, meta, { email: person.email, roleName: "Viewer" });
    await runCommand(deactivateMemberCommand, bAdmin.principal, meta, { membershipId: created.membershipId });
    expect(await runCommand(reactivateMemberCommand, bAdmin.principal, meta, { membershipId: created.membershipId })).toEqual({ status: "invited" });
    await expect(memberPrincipalFor((await signInAs(person.email)).token, b.slug)).rejects.toThrow("not a member");
  });
});
