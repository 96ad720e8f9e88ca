import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { memberships, ssoFlows, ssoIdentities } from "@/db/schema";
import { createMemberCommand } from "@/lib/identity/create-member";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { runCommand } from "@/lib/core/command";
import { createRoleCommand } from "@/lib/roles/create-role";
import { confirmIdentityLinkCommand } from "@/lib/sso/complete-identity-link";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";
import { linkIdentityCommand } from "@/lib/sso/link-identity";
import { startIdentityLinkCommand } from "@/lib/sso/start-identity-link";
import { listOwnSsoLinks } from "@/lib/sso/list-own-links";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";
import { updateConnectionCommand } from "@/lib/sso/update-connection";
import { readAs } from "@/lib/core/read-as";
import { asOperator } from "../support/as-operator";
import { makeMember, meta, TEST_PASSWORD } from "../support/factories";
import { startTestIdp, followToCallback, type TestIdp } from "../support/oidc-test-idp";
import { orgWithSaml, postToAcs, samlSignIn } from "../support/saml-fixtures";
import { startSamlTestIdp, type SamlTestIdp } from "../support/saml-test-idp";
import { addRule, allowLoopbackIdps, completeCallback, orgWithOidc } from "../support/sso-fixtures";
import { withSession } from "../support/sso-link-fixtures";
import { auditRows } from "./one-time-links";

let saml: SamlTestIdp;
let oidc: TestIdp;
beforeAll(async () => {
  allowLoopbackIdps();
  saml = await startSamlTestIdp();
  oidc = await startTestIdp({ redirectUri: oidcRedirectUri() });
});
afterAll(async () => {
  await saml.close();
  await oidc.close();
});

async function identitiesOf(userId: string) {
  return asOperator((tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, userId)));
}

async function samlWorld() {
  const world = await orgWithSaml(saml);
  await addRule(world.org.operator, world.connection.id, "groups", "staff", "Buyer");
  // A password account at an email the IdP does not vouch for: SSO alone never links it.
  const member = await makeMember(world.org.operator, { email: `pw-${crypto.randomUUID().slice(0, 8)}@elsewhere.test` });
  return { ...world, member, me: withSession(member.principal) };
}

/** The person starts a link, and the SAML IdP answers as `nameId`; returns the callback's result. */
async function samlLinkRoundTrip(world: Awaited<ReturnType<typeof samlWorld>>, nameId: string, principal = world.me) {
  const { redirectUrl } = await runCommand(startIdentityLinkCommand, principal, meta, { connectionId: world.connection.id, password: TEST_PASSWORD });
  const request = saml.readRequest(redirectUrl);
  expect(request.forceAuthn).toBe(true);
  return postToAcs(world.connection.id, saml.respond({ nameId, attributes: { email: nameId, groups: ["staff"] } }, { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState }));
}

describe("Account linking by the person, from their own security page", () => {
  it("password and a recent second factor, then the IdP round trip, then the person's own session confirms: (connection, subject) is linked, and the next SSO sign-in as that subject is that account; audited at each step", async () => {
    const world = await samlWorld();
    const subject = `idp-${crypto.randomUUID().slice(0, 8)}@${world.domain}`;
    const answer = await samlLinkRoundTrip(world, subject);
    expect(answer).toMatchObject({ purpose: "link", orgSlug: world.org.slug });
    if (answer.purpose !== "link") throw new Error("expected a link answer");
    // Nothing is linked before the person's own session confirms.
    expect(await identitiesOf(world.member.userId)).toEqual([]);
    const linked = await runCommand(confirmIdentityLinkCommand, world.me, meta, { flowId: answer.flowId });
    expect(linked).toMatchObject({ connectionId: world.connection.id });
    expect(await identitiesOf(world.member.userId)).toMatchObject([{ connectionId: world.connection.id, subject, orgId: world.org.id }]);
    await expect(samlSignIn(saml, world.connection, { nameId: subject, attributes: { email: subject, groups: ["staff"] } })).resolves.toMatchObject({ purpose: "sign-in", userId: world.member.userId });

    const started = (await auditRows("account.sso_link.started")).filter((e) => e.target_id === world.member.userId);
    expect(started).toHaveLength(1);
    expect(started[0]!.metadata).toMatchObject({ connectionId: world.connection.id, protocol: "saml" });
    const answered = (await auditRows("auth.sso.saml.succeeded")).filter((e) => e.metadata.purpose === "link" && e.target_id === world.member.userId);
    expect(answered[0]!.metadata).toMatchObject({ connectionId: world.connection.id, subject });
    const done = (await auditRows("account.sso_identity.linked")).filter((e) => e.target_id === world.member.userId);
    expect(done[0]).toMatchObject({ org_id: world.org.id, actor_id: world.member.userId });
    expect(done[0]!.metadata).toMatchObject({ after: { connectionId: world.connection.id, subject }, via: "self" });
    // Neither the password nor the SAML XML is in the trail.
    expect(JSON.stringify([started, answered, done])).not.toMatch(new RegExp(`${TEST_PASSWORD}|<saml`));
  });

  it("OIDC too: the IdP is asked to show its login (prompt=login), and the answered subject is linked after confirmation", async () => {
    const { org, connection } = await orgWithOidc(oidc);
    const member = await makeMember(org.operator, { email: `pw-${crypto.randomUUID().slice(0, 8)}@elsewhere.test` });
    const me = withSession(member.principal);
    const { redirectUrl } = await runCommand(startIdentityLinkCommand, me, meta, { connectionId: connection.id, password: TEST_PASSWORD });
    expect(new URL(redirectUrl).searchParams.get("prompt")).toBe("login");
    const subject = `sub-${crypto.randomUUID()}`;
    oidc.nextLogin = { sub: subject, email: member.email };
    const answer = await completeCallback(await followToCallback(redirectUrl, oidcRedirectUri()));
    if (answer.purpose !== "link") throw new Error("expected a link answer");
    await runCommand(confirmIdentityLinkCommand, me, meta, { flowId: answer.flowId });
    expect(await identitiesOf(member.userId)).toMatchObject([{ connectionId: connection.id, subject }]);
  });

  it("refused: a wrong password, and no recent second factor (password alone is not enough); both recorded, no flow opened", async () => {
    const world = await samlWorld();
    await expect(runCommand(startIdentityLinkCommand, world.me, meta, { connectionId: world.connection.id, password: "not the password" })).rejects.toMatchObject({ code: "unauthorized", message: "Your password is not right." });
    const refused = (await auditRows("account.sso_link.refused")).filter((e) => e.actor_id === world.member.userId);
    expect(refused.at(-1)!.metadata).toMatchObject({ reason: "bad-password" });
    await expect(runCommand(startIdentityLinkCommand, withSession(world.member.principal, { mfa: false }), meta, { connectionId: world.connection.id, password: TEST_PASSWORD })).rejects.toMatchObject({ code: "step_up_required" });
    // An account SSO made has no password to prove.
    const jit = await samlSignIn(saml, world.connection, { nameId: `jit-${crypto.randomUUID().slice(0, 6)}@${world.domain}`, attributes: { groups: ["staff"] } });
    if (jit.purpose !== "sign-in") throw new Error("expected a sign-in");
    const jitPrincipal = (await loadMemberPrincipal(getDb(), { type: "user", userId: jit.userId, label: jit.email }, world.org.slug))!;
    await expect(runCommand(startIdentityLinkCommand, withSession(jitPrincipal), meta, { connectionId: world.connection.id, password: "anything" })).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("has no password") });
    const flows = await asOperator((tx) => tx.select().from(ssoFlows).where(and(eq(ssoFlows.connectionId, world.connection.id), eq(ssoFlows.purpose, "link"))));
    expect(flows).toEqual([]);
  });

  it("refused: a member cannot link another person's account (the input names no user, and another person's answered flow reads as missing)", async () => {
    const world = await samlWorld();
    await expect(runCommand(startIdentityLinkCommand, world.me, meta, { connectionId: world.connection.id, password: TEST_PASSWORD, userId: crypto.randomUUID() })).rejects.toMatchObject({ code: "validation" });
    const answer = await samlLinkRoundTrip(world, `victim-${crypto.randomUUID().slice(0, 6)}@${world.domain}`);
    if (answer.purpose !== "link") throw new Error("expected a link answer");
    const other = await makeMember(world.org.operator);
    await expect(runCommand(confirmIdentityLinkCommand, withSession(other.principal), meta, { flowId: answer.flowId })).rejects.toMatchObject({ code: "not_found" });
    expect(await identitiesOf(other.userId)).toEqual([]);
    const rival = await orgWithSaml(saml);
    const stranger = await makeMember(rival.org.operator);
    await expect(runCommand(confirmIdentityLinkCommand, withSession(stranger.principal), meta, { flowId: answer.flowId })).rejects.toMatchObject({ code: "not_found" });
    // The flow stays the starter's, and confirms once.
    await runCommand(confirmIdentityLinkCommand, world.me, meta, { flowId: answer.flowId });
    await expect(runCommand(confirmIdentityLinkCommand, world.me, meta, { flowId: answer.flowId })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refused: an identity already linked to another account, at the callback (audited) and never moved", async () => {
    const world = await samlWorld();
    const subject = `taken-${crypto.randomUUID().slice(0, 6)}@${world.domain}`;
    // The subject's first SSO sign-in made its own account.
    const first = await samlSignIn(saml, world.connection, { nameId: subject, attributes: { email: subject, groups: ["staff"] } });
    if (first.purpose !== "sign-in") throw new Error("expected a sign-in");
    await expect(samlLinkRoundTrip(world, subject)).rejects.toMatchObject({ code: "unauthorized" });
    const refusal = (await auditRows("auth.sso.failed")).filter((e) => e.metadata.connectionId === world.connection.id).at(-1)!;
    expect(refusal.metadata).toMatchObject({ reason: "identity-already-linked", subject, sameAccount: false });
    expect(await identitiesOf(first.userId)).toMatchObject([{ subject }]);
    expect(await identitiesOf(world.member.userId)).toEqual([]);
  });

  it("refused: a connection of an org the person is not a member of reads as missing; a second identity at the same connection is refused", async () => {
    const world = await samlWorld();
    const elsewhere = await orgWithSaml(saml);
    await expect(runCommand(startIdentityLinkCommand, world.me, meta, { connectionId: elsewhere.connection.id, password: TEST_PASSWORD })).rejects.toMatchObject({ code: "not_found" });
    const answer = await samlLinkRoundTrip(world, `one-${crypto.randomUUID().slice(0, 6)}@${world.domain}`);
    if (answer.purpose !== "link") throw new Error("expected a link answer");
    await runCommand(confirmIdentityLinkCommand, world.me, meta, { flowId: answer.flowId });
    await expect(runCommand(startIdentityLinkCommand, world.me, meta, { connectionId: world.connection.id, password: TEST_PASSWORD })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("already linked") });
  });

  it("refused: an account whose email domain another org owns cannot be linked to this org's IdP (its owner's IdP and deprovisioning would be bypassed)", async () => {
    const owner = await orgWithSaml(saml);
    const other = await orgWithSaml(saml);
    const person = await makeMember(owner.org.operator, { email: `owned-${crypto.randomUUID().slice(0, 6)}@${owner.domain}` });
    await runCommand(createMemberCommand, other.org.operator, meta, { email: person.email, roleName: "Buyer", branchId: null });
    // An existing account is invited (member consent); as if they accepted.
    await asOperator((tx) => tx.update(memberships).set({ status: "active" }).where(and(eq(memberships.orgId, other.org.id), eq(memberships.userId, person.userId))));
    const inOther = (await loadMemberPrincipal(getDb(), { type: "user", userId: person.userId, label: person.email }, other.org.slug))!;
    await expect(runCommand(startIdentityLinkCommand, withSession(inOther), meta, { connectionId: other.connection.id, password: TEST_PASSWORD })).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("belongs to another organization") });
    // The owner's own connection is fine.
    await expect(runCommand(startIdentityLinkCommand, withSession(person.principal), meta, { connectionId: owner.connection.id, password: TEST_PASSWORD })).resolves.toMatchObject({ redirectUrl: expect.any(String) });
  });

  it("an email match never links: the IdP asserting the member's own email, without the link flow, is refused as account-exists-link-required", async () => {
    const world = await samlWorld();
    const owned = await makeMember(world.org.operator, { email: `owned-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    await expect(samlSignIn(saml, world.connection, { nameId: `other-subject-${crypto.randomUUID().slice(0, 6)}`, attributes: { email: owned.email, groups: ["staff"] } })).rejects.toMatchObject({ code: "unauthorized" });
    const refusal = (await auditRows("auth.sso.failed")).filter((e) => e.metadata.connectionId === world.connection.id).at(-1)!;
    expect(refusal.metadata).toMatchObject({ reason: "account-exists-link-required" });
    expect(await identitiesOf(owned.userId)).toEqual([]);
  });
});

describe("The Security page's read of the person's SSO identities", () => {
  it("lists only the person's own identities in the org, and as linkable only enabled connections they have no identity at", async () => {
    const world = await samlWorld();
    const second = await createSamlConnection(world.org.operator, meta, { name: "Second", metadataXml: saml.metadataXml() });
    const disabled = await createSamlConnection(world.org.operator, meta, { name: "Disabled", metadataXml: saml.metadataXml() });
    await runCommand(updateConnectionCommand, world.org.operator, meta, { connectionId: disabled.id, enabled: false });
    const answer = await samlLinkRoundTrip(world, `mine-${crypto.randomUUID().slice(0, 6)}@${world.domain}`);
    if (answer.purpose !== "link") throw new Error("expected a link answer");
    await runCommand(confirmIdentityLinkCommand, world.me, meta, { flowId: answer.flowId });
    // Someone else's identity in the same org stays theirs.
    await samlSignIn(saml, world.connection, { nameId: `else-${crypto.randomUUID().slice(0, 6)}@${world.domain}`, attributes: { groups: ["staff"] } });
    const links = await readAs(world.me, (tx) => listOwnSsoLinks(tx, world.me));
    expect(links.linked).toMatchObject([{ connectionName: world.connection.name }]);
    expect(links.linkable.map((c) => c.id)).toEqual([second.id]);
  });
});

describe("Account linking by an org administrator (sso.identity.linked)", () => {
  it("an admin of the org that owns the account links a member (audited with the admin, connection, subject, via admin); the same identity again is refused", async () => {
    const world = await orgWithSaml(saml);
    const member = await makeMember(world.org.operator, { email: `m-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    const admin = await makeMember(world.org.operator, { roleName: "Admin" });
    const adminUp = withSession(admin.principal);
    const subject = `nameid-${crypto.randomUUID().slice(0, 8)}`;
    await runCommand(linkIdentityCommand, adminUp, meta, { connectionId: world.connection.id, subject, email: member.email });
    const [event] = (await auditRows("sso.identity.linked")).filter((e) => e.target_id === member.userId);
    expect(event).toMatchObject({ org_id: world.org.id, actor_id: admin.userId });
    expect(event!.metadata).toMatchObject({ after: { connectionId: world.connection.id, subject, email: member.email }, via: "admin" });
    const again = await makeMember(world.org.operator, { email: `m2-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    await expect(runCommand(linkIdentityCommand, adminUp, meta, { connectionId: world.connection.id, subject, email: again.email })).rejects.toMatchObject({ code: "conflict", message: "That identity is already linked to another account." });
  });

  it("refused: the admin of another org (its own connection, or this org's connection id) cannot link this org's member", async () => {
    const world = await orgWithSaml(saml);
    const member = await makeMember(world.org.operator, { email: `m-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    const rival = await orgWithSaml(saml);
    const rivalAdmin = withSession((await makeMember(rival.org.operator, { roleName: "Admin" })).principal);
    await expect(runCommand(linkIdentityCommand, rivalAdmin, meta, { connectionId: world.connection.id, subject: "x", email: member.email })).rejects.toMatchObject({ code: "not_found" });
    await expect(runCommand(linkIdentityCommand, rivalAdmin, meta, { connectionId: rival.connection.id, subject: "x", email: member.email })).rejects.toMatchObject({ code: "not_found" });
    expect(await identitiesOf(member.userId)).toEqual([]);
  });

  it("refused: a member without sso:manage (even with a fresh second factor), and an admin linking an account the org does not own (no verified domain)", async () => {
    const world = await orgWithSaml(saml);
    const member = await makeMember(world.org.operator, { email: `m-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    const buyer = await makeMember(world.org.operator, { email: `b-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    await expect(runCommand(linkIdentityCommand, withSession(buyer.principal), meta, { connectionId: world.connection.id, subject: "mine-now", email: member.email })).rejects.toMatchObject({ code: "forbidden" });
    // Nor their own account: self-service goes through the round trip, never a typed subject.
    await expect(runCommand(linkIdentityCommand, withSession(buyer.principal), meta, { connectionId: world.connection.id, subject: "mine-now", email: buyer.email })).rejects.toMatchObject({ code: "forbidden" });
    const denied = (await auditRows("access.denied")).filter((e) => e.actor_id === buyer.userId);
    expect(denied.length).toBeGreaterThanOrEqual(2);
    const outsider = await makeMember(world.org.operator, { email: `o-${crypto.randomUUID().slice(0, 6)}@not-owned.test` });
    await runCommand(createRoleCommand, world.org.operator, meta, { name: "SSO Admin", permissions: ["sso:manage"] });
    const ssoAdmin = withSession((await makeMember(world.org.operator, { roleName: "SSO Admin" })).principal);
    await expect(runCommand(linkIdentityCommand, ssoAdmin, meta, { connectionId: world.connection.id, subject: "y", email: outsider.email })).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("owns the account") });
    expect(await identitiesOf(outsider.userId)).toEqual([]);
  });
});
