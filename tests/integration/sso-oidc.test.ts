import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { memberships, sessions, ssoIdentities, users } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { resolveSession } from "@/lib/identity/resolve-session";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
import { asOperator } from "../support/as-operator";
import { makeMember, meta } from "../support/factories";
import { startTestIdp, type TestIdp } from "../support/oidc-test-idp";
import { addRule, allowLoopbackIdps, completeCallback, orgWithOidc, roleId, ssoSignIn, startFlow, throughIdp } from "../support/sso-fixtures";
import { auditRows } from "./one-time-links";
import { hashSecret } from "@/lib/identity/secrets";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { startSsoCommand } from "@/lib/sso/start-sso";
import { linkIdentityCommand } from "@/lib/sso/link-identity";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { createRoleCommand } from "@/lib/roles/create-role";

let idp: TestIdp;
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startTestIdp({ redirectUri: oidcRedirectUri() });
});
afterAll(() => idp.close());

const sub = () => `sub-${crypto.randomUUID()}`;

async function membershipOf(orgId: string, userId: string) {
  const [row] = await asOperator((tx) => tx.select().from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))));
  return row!;
}

async function grantRoles(membershipId: string) {
  // Role names of a member's grants, sorted, for readable assertions.
  const rows = await asOperator((tx) => tx.execute<{ role: string }>(sql`select r.name as role from grants g join roles r on r.id = g.role_id where g.membership_id = ${membershipId} order by r.name`));
  return rows.map((r) => r.role);
}

describe("OIDC sign-in through a real IdP (oidc-provider on loopback)", () => {
  it("Use PKCE, state and nonce: the authorization URL carries S256 PKCE, a state and a nonce, and the first sign-in creates the user, identity and membership just in time, opening the same database session as password sign-in", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const url = new URL(await startFlow({ connectionId: connection.id }));
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")!.length).toBeGreaterThanOrEqual(43);
    expect(url.searchParams.get("nonce")!.length).toBeGreaterThanOrEqual(43);

    const subject = sub();
    const result = await ssoSignIn(idp, connection.id, { sub: subject, email: `Jit@${domain}`, name: "Jit Person", groups: ["buyers"] });
    expect(result).toMatchObject({ purpose: "sign-in", email: `jit@${domain}`, orgSlug: org.slug, pending: null });
    if (result.purpose !== "sign-in") throw new Error("expected a sign-in");
    const session = await resolveSession(getDb(), result.sessionToken);
    expect(session).toMatchObject({ userId: result.userId, pending: null });
    const [identity] = await asOperator((tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, result.userId)));
    expect(identity).toMatchObject({ connectionId: connection.id, subject });
    const [user] = await asOperator((tx) => tx.select().from(users).where(eq(users.id, result.userId)));
    expect(user!.passwordHash).toBeNull();
    expect(await grantRoles((await membershipOf(org.id, result.userId)).id)).toEqual(["Buyer"]);
    const events = (await auditRows("auth.sso.succeeded")).filter((e) => e.actor_id === result.userId);
    expect(events).toHaveLength(1);
    expect(events[0]!.org_id).toBe(org.id);
    expect(events[0]!.metadata).toMatchObject({ connectionId: connection.id, subject, created: { user: true, identity: true, membership: true }, claims: { groups: ["buyers"] } });
    expect(JSON.stringify(events[0]!.metadata)).not.toMatch(/eyJ/); // no token
    // The second sign-in finds the identity by (connection, sub) and creates nothing.
    const again = await ssoSignIn(idp, connection.id, { sub: subject, email: `jit@${domain}`, groups: ["buyers"] });
    expect(again).toMatchObject({ userId: result.userId });
  });

  it("JIT mapping: a user moved between IdP groups gains and loses exactly the mapped grants at the next sign-in, and hand-made grants stay", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await addRule(org.operator, connection.id, "groups", "approvers", "Approver");
    const subject = sub();
    const first = await ssoSignIn(idp, connection.id, { sub: subject, email: `mover@${domain}`, groups: ["buyers"] });
    if (first.purpose !== "sign-in") throw new Error("expected a sign-in");
    const membership = await membershipOf(org.id, first.userId);
    await runCommand(addGrantCommand, org.operator, meta, { membershipId: membership.id, roleId: await roleId(org.id, "Viewer") });
    expect(await grantRoles(membership.id)).toEqual(["Buyer", "Viewer"]);
    await ssoSignIn(idp, connection.id, { sub: subject, email: `mover@${domain}`, groups: ["approvers"] });
    expect(await grantRoles(membership.id)).toEqual(["Approver", "Viewer"]);
    await ssoSignIn(idp, connection.id, { sub: subject, email: `mover@${domain}`, groups: ["approvers", "buyers", "unmapped"] });
    expect(await grantRoles(membership.id)).toEqual(["Approver", "Buyer", "Viewer"]);
  });

  it("someone no rule matches, with no default role, is refused and the refusal is audited", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const email = `nobody@${domain}`;
    await expect(ssoSignIn(idp, connection.id, { sub: sub(), email, groups: ["other"] })).rejects.toMatchObject({ code: "unauthorized" });
    expect(await asOperator((tx) => tx.select().from(users).where(eq(users.email, email)))).toEqual([]);
    const [refusal] = (await auditRows("auth.sso.failed")).filter((e) => e.metadata.reason === "no-mapping-rule" && e.metadata.connectionId === connection.id);
    expect(refusal).toMatchObject({ outcome: "denied" });
  });

  it("An account is keyed by (connection, sub) and an email is never trusted as verified because an IdP sent it: a domain the org has not verified never JIT-creates, and an existing account with that email is never linked silently", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await expect(ssoSignIn(idp, connection.id, { sub: sub(), email: `someone@unverified-${org.slug}.test`, groups: ["buyers"] })).rejects.toMatchObject({ code: "unauthorized" });
    const existing = await makeMember(org.operator, { email: `existing@${domain}` });
    await expect(ssoSignIn(idp, connection.id, { sub: sub(), email: existing.email, groups: ["buyers"] })).rejects.toMatchObject({ code: "unauthorized" });
    expect(await asOperator((tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, existing.userId)))).toEqual([]);
    const reasons = (await auditRows("auth.sso.failed")).filter((e) => e.metadata.connectionId === connection.id).map((e) => e.metadata.reason);
    expect(reasons).toEqual(["domain-not-verified", "account-exists-link-required"]);
  });

  it("The same email arriving from another IdP never takes the account over: a second org whose connection asserts the same email cannot take the account over", async () => {
    const first = await orgWithOidc(idp);
    await addRule(first.org.operator, first.connection.id, "groups", "buyers", "Buyer");
    const owner = await ssoSignIn(idp, first.connection.id, { sub: sub(), email: `victim@${first.domain}`, groups: ["buyers"] });
    if (owner.purpose !== "sign-in") throw new Error("expected a sign-in");
    const second = await orgWithOidc(idp);
    await addRule(second.org.operator, second.connection.id, "groups", "buyers", "Admin");
    // The second org cannot own the first one's domain, so its connection cannot create or link there.
    await expect(ssoSignIn(idp, second.connection.id, { sub: sub(), email: `victim@${first.domain}`, groups: ["buyers"] })).rejects.toMatchObject({ code: "unauthorized" });
    expect(await asOperator((tx) => tx.select().from(memberships).where(and(eq(memberships.orgId, second.org.id), eq(memberships.userId, owner.userId))))).toEqual([]);
  });

  it("A deactivated member is refused, whatever the IdP says", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const subject = sub();
    const first = await ssoSignIn(idp, connection.id, { sub: subject, email: `leaver@${domain}`, groups: ["buyers"] });
    if (first.purpose !== "sign-in") throw new Error("expected a sign-in");
    await runCommand(deactivateMemberCommand, org.operator, meta, { membershipId: (await membershipOf(org.id, first.userId)).id });
    await expect(ssoSignIn(idp, connection.id, { sub: subject, email: `leaver@${domain}`, groups: ["buyers"] })).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("MFA for SSO users: an org may trust the IdP's amr, but a member holding an admin-class permission still owes our own second factor", async () => {
    const { org, connection, domain } = await orgWithOidc(idp, { mfaPolicy: "idp" });
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await addRule(org.operator, connection.id, "groups", "admins", "Admin");
    const buyer = await ssoSignIn(idp, connection.id, { sub: sub(), email: `mfa-buyer@${domain}`, groups: ["buyers"], amr: ["pwd", "mfa"] });
    if (buyer.purpose !== "sign-in") throw new Error("expected a sign-in");
    expect(buyer.pending).toBeNull();
    const [row] = await asOperator((tx) => tx.select().from(sessions).where(eq(sessions.tokenHash, hashSecret(buyer.sessionToken))));
    expect(row!.mfaVerifiedAt).not.toBeNull();
    const admin = await ssoSignIn(idp, connection.id, { sub: sub(), email: `mfa-admin@${domain}`, groups: ["admins"], amr: ["pwd", "mfa"] });
    expect(admin).toMatchObject({ pending: "enrollment" });
    const noMfa = await ssoSignIn(idp, connection.id, { sub: sub(), email: `pwd-only@${domain}`, groups: ["buyers"], amr: ["pwd"] });
    expect(noMfa).toMatchObject({ pending: null });
  });

  it("Reject a replayed authorization code and a tampered state: the same callback twice is refused the second time, and a state we never issued is refused", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const search = await throughIdp(idp, connection.id, { sub: sub(), email: `replay@${domain}`, groups: ["buyers"] });
    await completeCallback(search);
    await expect(completeCallback(search)).rejects.toMatchObject({ code: "unauthorized" });
    const tampered = new URLSearchParams(search);
    tampered.set("state", `${tampered.get("state")}x`);
    await expect(completeCallback(tampered.toString())).rejects.toMatchObject({ code: "unauthorized" });
    const reasons = (await auditRows("auth.sso.failed")).map((e) => e.metadata.reason);
    expect(reasons.filter((r) => r === "state-invalid").length).toBeGreaterThanOrEqual(2);
  });

  it("a code replayed under a fresh state is refused by the IdP (the code is single-use) and our flow stays used", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const user = { sub: sub(), email: `code-replay@${domain}`, groups: ["buyers"] };
    const firstSearch = await throughIdp(idp, connection.id, user);
    await completeCallback(firstSearch);
    const secondSearch = new URLSearchParams(await throughIdp(idp, connection.id, user));
    secondSearch.set("code", new URLSearchParams(firstSearch).get("code")!);
    await expect(completeCallback(secondSearch.toString())).rejects.toMatchObject({ code: "unauthorized" });
    const [last] = (await auditRows("auth.sso.failed")).slice(-1);
    expect(last!.metadata).toMatchObject({ reason: "token-rejected" });
    // The flow was used up by the refused attempt: its state cannot be tried again.
    await expect(completeCallback(secondSearch.toString())).rejects.toMatchObject({ code: "unauthorized" });
    expect((await auditRows("auth.sso.failed")).slice(-1)[0]!.metadata).toMatchObject({ reason: "state-invalid" });
  });

  it("Re-fetch the JWKS when keys rotate: after the IdP signs with a new kid, a sign-in through the cached configuration still succeeds", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await ssoSignIn(idp, connection.id, { sub: sub(), email: `before@${domain}`, groups: ["buyers"] });
    await idp.rotateKeys();
    await expect(ssoSignIn(idp, connection.id, { sub: sub(), email: `after@${domain}`, groups: ["buyers"] })).resolves.toMatchObject({ purpose: "sign-in" });
  });
});

describe("Entra-shaped connection: identities by tid + oid, the group overage by a stated policy", () => {
  it("for Entra, an account is keyed by (tid, oid): a changed email or sub at the IdP still finds the same person, and app roles map like groups", async () => {
    const { org, connection, domain } = await orgWithOidc(idp, { preset: "entra" });
    await addRule(org.operator, connection.id, "groups", "role.buyer", "Buyer");
    const tid = crypto.randomUUID();
    const oid = crypto.randomUUID();
    const first = await ssoSignIn(idp, connection.id, { sub: sub(), email: `entra@${domain}`, extra: { tid, oid, roles: ["role.buyer"] } });
    if (first.purpose !== "sign-in") throw new Error("expected a sign-in");
    const [identity] = await asOperator((tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, first.userId)));
    expect(identity!.subject).toBe(`${tid}:${oid}`);
    const again = await ssoSignIn(idp, connection.id, { sub: sub(), email: `renamed@${domain}`, extra: { tid, oid, roles: ["role.buyer"] } });
    expect(again).toMatchObject({ userId: first.userId, email: `entra@${domain}` });
  });

  it("the group-overage claim is refused with its own reason, never read as 'no groups'", async () => {
    const { org, connection, domain } = await orgWithOidc(idp, { preset: "entra" });
    await addRule(org.operator, connection.id, "groups", "g1", "Buyer");
    await expect(ssoSignIn(idp, connection.id, { sub: sub(), email: `many@${domain}`, extra: { tid: crypto.randomUUID(), oid: crypto.randomUUID(), hasgroups: true } })).rejects.toMatchObject({ code: "unauthorized" });
    expect((await auditRows("auth.sso.failed")).at(-1)!.metadata).toMatchObject({ reason: "groups-overage", connectionId: connection.id });
    await expect(ssoSignIn(idp, connection.id, { sub: sub(), email: `half@${domain}`, extra: { tid: crypto.randomUUID() } })).rejects.toMatchObject({ code: "unauthorized" });
    expect((await auditRows("auth.sso.failed")).at(-1)!.metadata).toMatchObject({ reason: "entra-identity-incomplete" });
  });
});

describe("Home-realm discovery", () => {
  it("a verified domain sends the person to their org's connection, several connections answer a chooser, an unverified domain finds none, and /sso/<org-slug> starts from the org", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    const byEmail = new URL(await startFlow({ email: `someone@${domain.toUpperCase()}` }));
    expect(byEmail.origin).toBe(idp.issuer);
    expect(new URL(await startFlow({ orgSlug: org.slug })).origin).toBe(idp.issuer);
    await expect(runCommand(startSsoCommand, anonymousPrincipal(), meta, { email: `someone@unclaimed-${org.slug}.test` })).rejects.toMatchObject({ code: "not_found" });
    const other = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", name: "Backup IdP", issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
    await runCommand(addDomainCommand, org.operator, meta, { connectionId: other.id, domain, verifiedByOperator: true });
    const chooser = await runCommand(startSsoCommand, anonymousPrincipal(), meta, { email: `someone@${domain}` });
    expect(chooser).toEqual({ choose: expect.arrayContaining([{ id: connection.id, name: "Single sign-on" }, { id: other.id, name: "Backup IdP" }]) });
  });
});

describe("Account linking", () => {
  it("Linking to an existing password account needs an owning org's admin (audited): after the link, that person's SSO sign-in reaches their existing account; an org that does not own the account cannot link it", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const existing = await makeMember(org.operator, { email: `linked@${domain}` });
    const subject = sub();
    await expect(ssoSignIn(idp, connection.id, { sub: subject, email: existing.email, groups: ["buyers"] })).rejects.toMatchObject({ code: "unauthorized" });
    await runCommand(linkIdentityCommand, org.operator, meta, { connectionId: connection.id, subject, email: existing.email });
    await expect(ssoSignIn(idp, connection.id, { sub: subject, email: existing.email, groups: ["buyers"] })).resolves.toMatchObject({ userId: existing.userId });
    expect((await auditRows("sso.identity.linked")).at(-1)).toMatchObject({ org_id: org.id, target_id: existing.userId });

    const other = await orgWithOidc(idp);
    const outsider = await makeMember(other.org.operator, { email: `notyours-${crypto.randomUUID().slice(0, 6)}@elsewhere.test` });
    await expect(runCommand(linkIdentityCommand, other.org.operator, meta, { connectionId: other.connection.id, subject: sub(), email: outsider.email })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("Mapping rules and defaults obey delegation", () => {
  it("Rules obey delegation: a rule can only be created by someone who could make those grants themselves; the connection's default role is held to the same ceiling and given to people no rule matches", async () => {
    const { org, connection, domain } = await orgWithOidc(idp);
    await runCommand(createRoleCommand, org.operator, meta, { name: "SSO Steward", permissions: ["sso:manage", "users:manage", "orders:read"] });
    const steward = await makeMember(org.operator, { roleName: "SSO Steward" });
    const stewardUp = { ...steward.principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
    await expect(runCommand(addMappingCommand, stewardUp, meta, { connectionId: connection.id, claim: "groups", value: "x", roleId: await roleId(org.id, "Admin") })).rejects.toMatchObject({ code: "forbidden" });
    await expect(runCommand(createConnectionCommand, stewardUp, meta, { protocol: "oidc", issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRoleId: await roleId(org.id, "Admin") })).rejects.toMatchObject({ code: "forbidden" });

    const withDefault = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", name: "Defaulted", issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRoleId: await roleId(org.id, "Viewer") });
    await runCommand(addDomainCommand, org.operator, meta, { connectionId: withDefault.id, domain, verifiedByOperator: true });
    const person = await ssoSignIn(idp, withDefault.id, { sub: sub(), email: `default@${domain}`, groups: ["unmapped"] });
    if (person.purpose !== "sign-in") throw new Error("expected a sign-in");
    expect(await grantRoles((await membershipOf(org.id, person.userId)).id)).toEqual(["Viewer"]);
  });
});
