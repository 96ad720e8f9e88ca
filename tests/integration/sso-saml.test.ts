import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { memberships, sessions, ssoConnections, ssoFlows, ssoIdentities } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { resolveSession } from "@/lib/identity/resolve-session";
import { samlAcsUrl, samlEntityId } from "@/lib/sso/connection-urls";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";
import { testConnectionCommand } from "@/lib/sso/start-sso";
import { GET as spMetadataRoute } from "@/app/sso/saml/[connectionId]/metadata/route";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta } from "../support/factories";
import { runCli } from "../support/run-cli";
import { orgWithSaml, postToAcs, samlSignIn } from "../support/saml-fixtures";
import { startSamlTestIdp, type SamlTestIdp } from "../support/saml-test-idp";
import { addRule, allowLoopbackIdps, roleId, startFlow } from "../support/sso-fixtures";
import { auditRows } from "./one-time-links";

let idp: SamlTestIdp;
const dataDir = mkdtempSync(path.join(tmpdir(), "cs-saml-test-"));
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startSamlTestIdp();
});
afterAll(async () => {
  await idp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function grantRoles(orgId: string, userId: string) {
  const rows = await asOperator((tx) => tx.execute<{ role: string }>(sql`select r.name as role from grants g join roles r on r.id = g.role_id join memberships m on m.id = g.membership_id where m.org_id = ${orgId} and m.user_id = ${userId} order by r.name`));
  return rows.map((r) => r.role);
}

const person = (domain: string, local = `p${crypto.randomUUID().slice(0, 8)}`, groups: string[] = ["buyers"]) => ({ nameId: `${local}@${domain}`, attributes: { email: `${local}@${domain}`, name: "Sam L", groups } });

describe("SAML connections: IdP metadata imported, SP metadata published", () => {
  it("imports IdP metadata from an XML document: entity id, redirect SSO URL and every signing certificate (two during a rotation); entityId and acsUrl are per connection; IdP-initiated sign-in is off by default", async () => {
    const org = await makeOrg("SAML Import");
    const created = await createSamlConnection(org.operator, meta, { metadataXml: idp.metadataXml(true) });
    expect(created).toMatchObject({ protocol: "saml", acsUrl: samlAcsUrl(created.id), entityId: samlEntityId(created.id), idpEntityId: idp.entityId });
    expect(created.acsUrl).toBe(`http://localhost:3999/sso/saml/${created.id}/acs`);
    const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, created.id)));
    expect(row).toMatchObject({ protocol: "saml", idpEntityId: idp.entityId, idpSsoUrl: idp.ssoUrl, allowIdpInitiated: false, clientSecretSealed: null });
    expect(row!.idpCertificates).toEqual([idp.certificates.current, idp.certificates.next]);
    const [event] = (await auditRows("sso.connection.created")).filter((e) => e.target_id === created.id);
    expect(event!.metadata).toMatchObject({ after: { protocol: "saml", issuer: idp.entityId, allowIdpInitiated: false, certificates: 2 } });
  });

  it("imports IdP metadata from a URL (plain http only behind SSO_ALLOW_INSECURE_HTTP=1, the setting OIDC uses); without it an http URL is refused before anything is fetched", async () => {
    const org = await makeOrg("SAML URL");
    const created = await createSamlConnection(org.operator, meta, { metadataUrl: idp.metadataUrl, allowIdpInitiated: true });
    const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, created.id)));
    expect(row).toMatchObject({ idpEntityId: idp.entityId, allowIdpInitiated: true });
    delete process.env.SSO_ALLOW_INSECURE_HTTP;
    try {
      await expect(createSamlConnection(org.operator, meta, { metadataUrl: idp.metadataUrl })).rejects.toMatchObject({ code: "validation", fieldErrors: { metadataUrl: [expect.stringContaining("must use https")] } });
    } finally {
      allowLoopbackIdps();
    }
  });

  it("publishes SP metadata per connection at /sso/saml/<id>/metadata (entity id, POST-binding ACS); an unknown or OIDC id answers 404", async () => {
    const { connection } = await orgWithSaml(idp);
    const response = await spMetadataRoute(new Request(connection.entityId), { params: Promise.resolve({ connectionId: connection.id }) });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/samlmetadata+xml");
    const xml = await response.text();
    expect(xml).toContain(`entityID="${connection.entityId}"`);
    expect(xml).toContain(`Location="${connection.acsUrl}"`);
    expect(xml).toContain("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    expect(xml).toContain('WantAssertionsSigned="true"');
    for (const id of [crypto.randomUUID(), "not-a-uuid", "../../etc"]) {
      expect((await spMetadataRoute(new Request(connection.entityId), { params: Promise.resolve({ connectionId: id }) })).status).toBe(404);
    }
  });

  it("CLI: sso connection create --protocol saml --metadata <file> and <url> print id, acsUrl and entityId as JSON; the OIDC path is unchanged", async () => {
    const org = await makeOrg("SAML CLI");
    const file = path.join(dataDir, "idp-metadata.xml");
    writeFileSync(file, idp.metadataXml());
    const fromFile = await runCli(dataDir, "sso", "connection", "create", "--org", org.slug, "--protocol", "saml", "--metadata", file, "--json");
    expect(fromFile.stderr).toBe("");
    expect(fromFile.code).toBe(0);
    const created = JSON.parse(fromFile.stdout) as { id: string; acsUrl: string; entityId: string };
    expect(created).toMatchObject({ acsUrl: samlAcsUrl(created.id), entityId: samlEntityId(created.id) });
    const fromUrl = await runCli(dataDir, "sso", "connection", "create", "--org", org.slug, "--protocol", "saml", "--metadata", idp.metadataUrl, "--allow-idp-initiated", "--json");
    expect(fromUrl.code).toBe(0);
    const second = JSON.parse(fromUrl.stdout) as { id: string };
    const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, second.id)));
    expect(row!.allowIdpInitiated).toBe(true);
    const missing = await runCli(dataDir, "sso", "connection", "create", "--org", org.slug, "--protocol", "saml", "--metadata", path.join(dataDir, "nope.xml"), "--json");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr + missing.stdout).toMatch(/could not read the file/);
    const unreachable = await runCli(dataDir, "sso", "connection", "create", "--org", org.slug, "--protocol", "saml", "--metadata", "http://127.0.0.1:1/metadata", "--json");
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.stderr + unreachable.stdout).toMatch(/--metadata: could not be fetched/);
  }, 120_000); // four CLI processes in a row
});

describe("SAML sign-in through a real IdP (samlify on loopback)", () => {
  it("the AuthnRequest (redirect binding) carries a fresh id stored in PostgreSQL for InResponseTo, the state as RelayState (stored hashed), our entity id and ACS; the signed response creates the user, identity and membership just in time and the same session row as password sign-in; the audit names connection, subject and attributes, never the assertion XML", async () => {
    const { org, connection, domain } = await orgWithSaml(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const url = await startFlow({ connectionId: connection.id });
    expect(url.startsWith(`${idp.ssoUrl}?`)).toBe(true);
    const request = idp.readRequest(url);
    expect(request).toMatchObject({ acsUrl: connection.acsUrl, issuer: connection.entityId, forceAuthn: false });
    expect(request.id).toMatch(/^_[0-9a-f]{40}$/);
    expect(request.relayState!.length).toBeGreaterThanOrEqual(43);
    const [flow] = await asOperator((tx) => tx.select().from(ssoFlows).where(eq(ssoFlows.requestId, request.id)));
    expect(flow).toMatchObject({ connectionId: connection.id, purpose: "sign-in", usedAt: null });
    expect(flow!.stateHash).not.toContain(request.relayState!);

    const who = person(domain, "jit");
    const posted = idp.respond(who, { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState });
    const result = await postToAcs(connection.id, posted);
    expect(result).toMatchObject({ purpose: "sign-in", email: `jit@${domain}`, orgSlug: org.slug, pending: null });
    if (result.purpose !== "sign-in") throw new Error("expected a sign-in");
    expect(await resolveSession(getDb(), result.sessionToken)).toMatchObject({ userId: result.userId, pending: null });
    const [identity] = await asOperator((tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, result.userId)));
    expect(identity).toMatchObject({ connectionId: connection.id, subject: `jit@${domain}` });
    expect(await grantRoles(org.id, result.userId)).toEqual(["Buyer"]);
    const [event] = (await auditRows("auth.sso.saml.succeeded")).filter((e) => e.actor_id === result.userId);
    expect(event!.org_id).toBe(org.id);
    expect(event!.metadata).toMatchObject({ protocol: "saml", connectionId: connection.id, subject: `jit@${domain}`, claims: { groups: ["buyers"], email: `jit@${domain}` }, created: { user: true, identity: true, membership: true } });
    const json = JSON.stringify(event!.metadata);
    expect(json).not.toMatch(/Assertion|SignatureValue|X509Certificate|<saml/);
    // The second sign-in finds the identity by (connection, NameID) and creates nothing.
    expect(await samlSignIn(idp, connection, who)).toMatchObject({ userId: result.userId });
  });

  it("JIT mapping via SAML groups: a user moved between IdP groups gains and loses exactly the mapped grants at the next sign-in, and hand-made grants stay", async () => {
    const { org, connection, domain } = await orgWithSaml(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await addRule(org.operator, connection.id, "groups", "approvers", "Approver");
    const first = await samlSignIn(idp, connection, person(domain, "mover", ["buyers"]));
    if (first.purpose !== "sign-in") throw new Error("expected a sign-in");
    expect(await grantRoles(org.id, first.userId)).toEqual(["Buyer"]);
    const [membership] = await asOperator((tx) => tx.select().from(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, first.userId))));
    await runCommand(addGrantCommand, org.operator, meta, { membershipId: membership!.id, roleId: await roleId(org.id, "Viewer"), branchId: null });
    await samlSignIn(idp, connection, person(domain, "mover", ["approvers"]));
    expect(await grantRoles(org.id, first.userId)).toEqual(["Approver", "Viewer"]);
    await samlSignIn(idp, connection, person(domain, "mover", ["approvers", "buyers"]));
    expect(await grantRoles(org.id, first.userId)).toEqual(["Approver", "Buyer", "Viewer"]);
  });

  it("accepts a signed response wrapping an unsigned assertion, and a response where both are signed", async () => {
    const { org, connection, domain } = await orgWithSaml(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await expect(samlSignIn(idp, connection, person(domain), { sign: "response" })).resolves.toMatchObject({ purpose: "sign-in" });
    await expect(samlSignIn(idp, connection, person(domain), { sign: "both" })).resolves.toMatchObject({ purpose: "sign-in" });
  });

  it("Accept several IdP certificates during a rotation: with both certificates imported, responses signed by the current and by the next key are accepted", async () => {
    const { org, connection, domain } = await orgWithSaml(idp, { withNextCertificate: true });
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await expect(samlSignIn(idp, connection, person(domain), { key: "current" })).resolves.toMatchObject({ purpose: "sign-in" });
    await expect(samlSignIn(idp, connection, person(domain), { key: "next" })).resolves.toMatchObject({ purpose: "sign-in" });
  });

  it("IdP-initiated sign-in is off unless an admin turns it on: on, an unsolicited signed response (no RelayState, no InResponseTo) signs in", async () => {
    const { org, connection, domain } = await orgWithSaml(idp, { allowIdpInitiated: true });
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    const posted = idp.respond(person(domain), { acsUrl: connection.acsUrl, audience: connection.entityId, inResponseTo: null });
    const result = await postToAcs(connection.id, posted);
    expect(result).toMatchObject({ purpose: "sign-in", returnTo: null });
    const [event] = (await auditRows("auth.sso.saml.succeeded")).filter((e) => e.metadata.connectionId === connection.id);
    expect(event!.metadata).toMatchObject({ idpInitiated: true });
  });

  it("\"Test connection\" shows the received attributes without signing anyone in (ForceAuthn asks the IdP to show its login)", async () => {
    const { org, connection, domain } = await orgWithSaml(idp);
    const started = await runCommand(testConnectionCommand, org.operator, meta, { connectionId: connection.id });
    const request = idp.readRequest(started.redirectUrl);
    expect(request.forceAuthn).toBe(true);
    const before = await asOperator((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(sessions));
    const result = await postToAcs(connection.id, idp.respond(person(domain, "tester", ["x", "y"]), { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState }));
    expect(result).toMatchObject({ purpose: "test", subject: `tester@${domain}`, claims: { groups: ["x", "y"], email: `tester@${domain}`, name: "Sam L" } });
    const after = await asOperator((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(sessions));
    expect(after[0]!.n).toBe(before[0]!.n);
    const users = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from users where email = ${`tester@${domain}`}`));
    expect(users[0]!.n).toBe(0);
  });

  it("MFA rules as for OIDC: an `idp` policy trusts a multi-factor AuthnContextClassRef; a password-only one, or a member holding an admin-class permission, still owes our own factor", async () => {
    const { org, connection, domain } = await orgWithSaml(idp, { mfaPolicy: "idp" });
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await addRule(org.operator, connection.id, "groups", "admins", "Admin");
    const mfa = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract";
    const trusted = await samlSignIn(idp, connection, { ...person(domain), authnContextClassRef: mfa });
    expect(trusted).toMatchObject({ pending: null });
    if (trusted.purpose !== "sign-in") throw new Error("expected a sign-in");
    const [row] = await asOperator((tx) => tx.select().from(sessions).where(eq(sessions.userId, trusted.userId)));
    expect(row!.mfaVerifiedAt).not.toBeNull();
    const passwordOnly = await samlSignIn(idp, connection, person(domain));
    if (passwordOnly.purpose !== "sign-in") throw new Error("expected a sign-in");
    const [plain] = await asOperator((tx) => tx.select().from(sessions).where(eq(sessions.userId, passwordOnly.userId)));
    expect(plain!.mfaVerifiedAt).toBeNull();
    const admin = await samlSignIn(idp, connection, { ...person(domain, "boss", ["admins"]), authnContextClassRef: mfa });
    expect(admin).toMatchObject({ pending: "enrollment" });
  });

  it("a second org whose SAML connection asserts an existing member's email cannot take the account over", async () => {
    const home = await makeOrg("Home Org");
    const victim = await makeMember(home.operator, { email: `victim-${crypto.randomUUID().slice(0, 8)}@example.test` });
    const { org, connection } = await orgWithSaml(idp);
    await addRule(org.operator, connection.id, "groups", "buyers", "Buyer");
    await expect(samlSignIn(idp, connection, { nameId: victim.email, attributes: { email: victim.email, groups: ["buyers"] } })).rejects.toMatchObject({ code: "unauthorized" });
    const [refusal] = (await auditRows("auth.sso.failed")).filter((e) => e.metadata.connectionId === connection.id);
    expect(refusal!.metadata).toMatchObject({ reason: "domain-not-verified", protocol: "saml" });
    const identities = await asOperator((tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, victim.userId)));
    expect(identities).toEqual([]);
  });
});

