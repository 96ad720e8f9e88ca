import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { grants, roles, ssoIdentities } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { createRoleCommand } from "@/lib/roles/create-role";
import { linkIdentityCommand } from "@/lib/sso/link-identity";
import { unlinkIdentityCommand } from "@/lib/sso/unlink-identity";
import { unlinkOwnIdentityCommand } from "@/lib/sso/unlink-own-identity";
import { asOperator } from "../support/as-operator";
import { makeMember, meta } from "../support/factories";
import { orgWithSaml, samlSignIn } from "../support/saml-fixtures";
import { startSamlTestIdp, type SamlTestIdp } from "../support/saml-test-idp";
import { addRule, allowLoopbackIdps } from "../support/sso-fixtures";
import { linkThroughSaml, withSession } from "../support/sso-link-fixtures";
import { auditRows } from "./one-time-links";

let saml: SamlTestIdp;
beforeAll(async () => {
  allowLoopbackIdps();
  saml = await startSamlTestIdp();
});
afterAll(async () => {
  await saml.close();
});

const identitiesOf = (userId: string) => asOperator((tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, userId)));
const rolesOf = async (orgId: string, membershipId: string) =>
  (await asOperator((tx) => tx.select({ role: roles.name }).from(grants).innerJoin(roles, eq(roles.id, grants.roleId)).where(and(eq(grants.orgId, orgId), eq(grants.membershipId, membershipId))))).map((r) => r.role).sort();

/** A password member who linked a SAML identity and signed in through it once, gaining the rule's Manager grant. */
async function linkedWorld() {
  const world = await orgWithSaml(saml);
  await addRule(world.org.operator, world.connection.id, "groups", "leads", "Manager");
  const linked = await linkThroughSaml(saml, world);
  const userId = linked.me.actor.type === "user" ? linked.me.actor.userId : "";
  const signIn = await samlSignIn(saml, world.connection, { nameId: linked.subject, attributes: { email: linked.subject, groups: ["leads"] } });
  expect(signIn).toMatchObject({ purpose: "sign-in", userId });
  return { ...world, ...linked, userId, membershipId: linked.me.membershipId! };
}

/** An account SSO made (no password): its identity is its only way in. */
async function ssoOnlyMember(world: Awaited<ReturnType<typeof orgWithSaml>>) {
  await addRule(world.org.operator, world.connection.id, "groups", "staff", "Buyer");
  const nameId = `jit-${crypto.randomUUID().slice(0, 8)}@${world.domain}`;
  const jit = await samlSignIn(saml, world.connection, { nameId, attributes: { groups: ["staff"] } });
  if (jit.purpose !== "sign-in") throw new Error("expected a sign-in");
  const principal = (await loadMemberPrincipal(getDb(), { type: "user", userId: jit.userId, label: jit.email }, world.org.slug))!;
  const [identity] = await identitiesOf(jit.userId);
  return { userId: jit.userId, principal, identityId: identity!.id };
}

describe("A person unlinks their own SSO identity (account.sso_identity.unlinked)", () => {
  it("with a recent second factor: the identity goes, and with it the grants that connection's rules gave; hand-made grants stay; audited with what went; the IdP's next sign-in as that subject no longer reaches the account", async () => {
    const world = await linkedWorld();
    expect(await rolesOf(world.org.id, world.membershipId)).toEqual(["Buyer", "Manager"]);
    const done = await runCommand(unlinkOwnIdentityCommand, world.me, meta, { identityId: world.id });
    expect(done).toEqual({ id: world.id, grantsRemoved: 1 });
    expect(await identitiesOf(world.userId)).toEqual([]);
    expect(await rolesOf(world.org.id, world.membershipId)).toEqual(["Buyer"]);
    const [event] = (await auditRows("account.sso_identity.unlinked")).filter((e) => e.target_id === world.userId);
    expect(event).toMatchObject({ org_id: world.org.id, actor_id: world.userId, outcome: "success" });
    expect(event!.metadata).toMatchObject({ before: { connectionId: world.connection.id, connection: world.connection.name, subject: world.subject }, grantsRemoved: [{ role: "Manager", branch: "(organization)" }], via: "self" });
    // The IdP's person is now a stranger to this account: a sign-in as the subject never lands on it.
    const again = await samlSignIn(saml, world.connection, { nameId: world.subject, attributes: { email: world.subject, groups: ["leads"] } });
    expect(again).toMatchObject({ purpose: "sign-in" });
    if (again.purpose === "sign-in") expect(again.userId).not.toBe(world.userId);
  });

  it("refused: no recent second factor (step-up), another person's identity, and another org's identity read as missing; nothing changes", async () => {
    const world = await linkedWorld();
    await expect(runCommand(unlinkOwnIdentityCommand, withSession(world.me, { mfa: false }), meta, { identityId: world.id })).rejects.toMatchObject({ code: "step_up_required" });
    const colleague = withSession((await makeMember(world.org.operator)).principal);
    await expect(runCommand(unlinkOwnIdentityCommand, colleague, meta, { identityId: world.id })).rejects.toMatchObject({ code: "not_found" });
    const elsewhere = await linkedWorld();
    await expect(runCommand(unlinkOwnIdentityCommand, world.me, meta, { identityId: elsewhere.id })).rejects.toMatchObject({ code: "not_found" });
    expect(await identitiesOf(world.userId)).toHaveLength(1);
    expect(await identitiesOf(elsewhere.userId)).toHaveLength(1);
    expect(await rolesOf(world.org.id, world.membershipId)).toEqual(["Buyer", "Manager"]);
  });

  it("refused: malformed input (not a uuid, NUL bytes, extra keys such as userId or __proto__)", async () => {
    const world = await linkedWorld();
    for (const input of [{ identityId: "nope" }, { identityId: `${world.id}\u0000` }, { identityId: world.id, userId: crypto.randomUUID() }, JSON.parse(`{"identityId":"${world.id}","__proto__":{"admin":true}}`)]) {
      await expect(runCommand(unlinkOwnIdentityCommand, world.me, meta, input)).rejects.toMatchObject({ code: "validation" });
    }
    expect(await identitiesOf(world.userId)).toHaveLength(1);
  });

  it("refused: an account SSO made (no password, no other identity) keeps its only way in", async () => {
    const world = await orgWithSaml(saml);
    const jit = await ssoOnlyMember(world);
    await expect(runCommand(unlinkOwnIdentityCommand, withSession(jit.principal), meta, { identityId: jit.identityId })).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("no password and no other identity") });
    expect(await identitiesOf(jit.userId)).toHaveLength(1);
  });
});

describe("An administrator unlinks a member's SSO identity (sso.identity.unlinked)", () => {
  it("an admin of the org that owns the account, with a step-up: the identity and its rule-given grants go, audited via admin", async () => {
    const world = await orgWithSaml(saml);
    await addRule(world.org.operator, world.connection.id, "groups", "leads", "Manager");
    const member = await makeMember(world.org.operator, { email: `m-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    const admin = await makeMember(world.org.operator, { roleName: "Admin" });
    const subject = `nameid-${crypto.randomUUID().slice(0, 8)}`;
    const { id } = await runCommand(linkIdentityCommand, withSession(admin.principal), meta, { connectionId: world.connection.id, subject, email: member.email });
    await samlSignIn(saml, world.connection, { nameId: subject, attributes: { email: member.email, groups: ["leads"] } });
    expect(await rolesOf(world.org.id, member.membershipId)).toEqual(["Buyer", "Manager"]);

    await expect(runCommand(unlinkIdentityCommand, withSession(admin.principal, { mfa: false }), meta, { identityId: id })).rejects.toMatchObject({ code: "step_up_required" });
    await expect(runCommand(unlinkIdentityCommand, withSession(admin.principal), meta, { identityId: id })).resolves.toEqual({ id, userId: member.userId, grantsRemoved: 1 });
    expect(await identitiesOf(member.userId)).toEqual([]);
    expect(await rolesOf(world.org.id, member.membershipId)).toEqual(["Buyer"]);
    const [event] = (await auditRows("sso.identity.unlinked")).filter((e) => e.target_id === member.userId);
    expect(event).toMatchObject({ org_id: world.org.id, actor_id: admin.userId });
    expect(event!.metadata).toMatchObject({ before: { connectionId: world.connection.id, subject }, grantsRemoved: [{ role: "Manager" }], via: "admin" });
    await expect(runCommand(unlinkIdentityCommand, withSession(admin.principal), meta, { identityId: id })).rejects.toMatchObject({ code: "not_found" });
  });

  it("refused: another org's admin (404), a member without sso:manage (403, audited), an account the org does not own, and an account's only way in", async () => {
    const world = await orgWithSaml(saml);
    const member = await makeMember(world.org.operator, { email: `m-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    const { id } = await runCommand(linkIdentityCommand, world.org.operator, meta, { connectionId: world.connection.id, subject: `s-${crypto.randomUUID().slice(0, 8)}`, email: member.email });
    const rival = await orgWithSaml(saml);
    const rivalAdmin = withSession((await makeMember(rival.org.operator, { roleName: "Admin" })).principal);
    await expect(runCommand(unlinkIdentityCommand, rivalAdmin, meta, { identityId: id })).rejects.toMatchObject({ code: "not_found" });
    const manager = await makeMember(world.org.operator, { roleName: "Manager" });
    await expect(runCommand(unlinkIdentityCommand, withSession(manager.principal), meta, { identityId: id })).rejects.toMatchObject({ code: "forbidden" });
    expect((await auditRows("access.denied")).filter((e) => e.actor_id === manager.userId).length).toBeGreaterThanOrEqual(1);
    expect(await identitiesOf(member.userId)).toHaveLength(1);

    // A person at a domain the org has not verified linked themselves: the org does not own the account.
    const outsider = await linkedWorld();
    await runCommand(createRoleCommand, outsider.org.operator, meta, { name: "SSO Admin", permissions: ["sso:manage"] });
    const ssoAdmin = withSession((await makeMember(outsider.org.operator, { roleName: "SSO Admin" })).principal);
    await expect(runCommand(unlinkIdentityCommand, ssoAdmin, meta, { identityId: outsider.id })).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("owns the account") });
    expect(await identitiesOf(outsider.userId)).toHaveLength(1);

    const jit = await ssoOnlyMember(world);
    const admin = withSession((await makeMember(world.org.operator, { roleName: "Admin" })).principal);
    await expect(runCommand(unlinkIdentityCommand, admin, meta, { identityId: jit.identityId })).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining("only way to sign in") });
    expect(await identitiesOf(jit.userId)).toHaveLength(1);
  });
});
