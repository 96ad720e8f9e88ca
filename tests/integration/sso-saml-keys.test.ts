import { X509Certificate } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ssoConnections } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { openSecret } from "@/lib/mfa/secret-box";
import { updateConnectionCommand } from "@/lib/sso/update-connection";
import { loadSamlSpMetadata } from "@/lib/sso/saml/load-sp-metadata";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";
import { asOperator } from "../support/as-operator";
import { makeOrg, meta } from "../support/factories";
import { orgWithSaml, postToAcs } from "../support/saml-fixtures";
import { startSamlTestIdp, type SamlResponseOptions, type SamlTestIdp, type SamlTestUser } from "../support/saml-test-idp";
import { addRule, allowLoopbackIdps, startFlow } from "../support/sso-fixtures";
import { auditRows } from "./one-time-links";

let idp: SamlTestIdp;
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startSamlTestIdp();
});
afterAll(() => idp.close());

type World = Awaited<ReturnType<typeof orgWithSaml>>;

async function connectionRow(id: string) {
  const [row] = await asOperator((tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, id)));
  return row!;
}

async function spMetadata(connectionId: string): Promise<string> {
  return (await loadSamlSpMetadata(connectionId))!;
}

const someone = (world: World): SamlTestUser => {
  const email = `p-${crypto.randomUUID().slice(0, 8)}@${world.domain}`;
  return { nameId: email, attributes: { email, groups: ["staff"] } };
};

async function withRule(options: Parameters<typeof orgWithSaml>[1]): Promise<World> {
  const world = await orgWithSaml(idp, options);
  await addRule(world.org.operator, world.connection.id, "groups", "staff", "Buyer");
  return world;
}

/** Starts a flow at `world`'s connection and has the IdP answer it with an encrypted assertion. */
async function encryptedAttempt(world: World, overrides: Partial<SamlResponseOptions> & { spMetadataXml?: string } = {}, user = someone(world)) {
  const request = idp.readRequest(await startFlow({ connectionId: world.connection.id }));
  const posted = await idp.respondEncrypted(user, { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState, spMetadataXml: await spMetadata(world.connection.id), ...overrides });
  expect(posted.xml).toContain("EncryptedAssertion");
  expect(posted.xml).toContain("xmlenc11#aes256-gcm");
  expect(posted.xml).not.toContain(user.nameId);
  return postToAcs(world.connection.id, posted);
}

async function plainAttempt(world: World, overrides: Partial<SamlResponseOptions> = {}) {
  const request = idp.readRequest(await startFlow({ connectionId: world.connection.id }));
  return postToAcs(world.connection.id, idp.respond(someone(world), { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState, ...overrides }));
}

async function expectRefused(run: Promise<unknown>, world: World, reason: string) {
  await expect(run).rejects.toMatchObject({ code: "unauthorized", message: "Single sign-on did not succeed." });
  const rows = (await auditRows("auth.sso.failed")).filter((e) => e.metadata.connectionId === world.connection.id);
  const refusal = rows.at(-1)!.metadata;
  expect(refusal).toMatchObject({ reason, protocol: "saml" });
  expect(JSON.stringify(refusal)).not.toMatch(/<saml|CipherValue|PRIVATE KEY/);
  return refusal;
}

describe("SAML SP key pairs: made at connection creation, private keys sealed, certificates published", () => {
  it("a new SAML connection has a signing and an encryption key pair of its own: sealed private keys (never PEM at rest) that open only for their connection and use, and self-signed X.509 certificates for their public keys", async () => {
    const a = await orgWithSaml(idp);
    const b = await orgWithSaml(idp);
    const row = await connectionRow(a.connection.id);
    for (const sealed of [row.spSigningKeySealed!, row.spEncryptionKeySealed!]) {
      expect(sealed).toMatch(/^v1:/);
      expect(sealed).not.toContain("PRIVATE KEY");
    }
    expect(openSecret(row.spSigningKeySealed!, `${row.id}:saml-signing`)).toContain("BEGIN PRIVATE KEY");
    // Bound to the use and to the connection: the encryption key does not open as a signing key, nor under another connection.
    expect(() => openSecret(row.spEncryptionKeySealed!, `${row.id}:saml-signing`)).toThrow(/does not open/);
    expect(() => openSecret(row.spSigningKeySealed!, `${b.connection.id}:saml-signing`)).toThrow(/does not open/);
    const signing = new X509Certificate(Buffer.from(row.spSigningCertificate!, "base64"));
    const encryption = new X509Certificate(Buffer.from(row.spEncryptionCertificate!, "base64"));
    expect(signing.verify(signing.publicKey)).toBe(true);
    expect(signing.subject).toContain(row.id);
    expect(signing.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(signing.validTo).getTime()).toBeGreaterThan(Date.now() + 9 * 365 * 86_400_000);
    expect(encryption.fingerprint256).not.toBe(signing.fingerprint256);
    expect((await connectionRow(b.connection.id)).spSigningCertificate).not.toBe(row.spSigningCertificate);
  });

  it("the SP metadata publishes the encryption certificate (KeyDescriptor use=\"encryption\") and, while requests are unsigned, AuthnRequestsSigned=\"false\" and no signing key", async () => {
    const world = await orgWithSaml(idp);
    const row = await connectionRow(world.connection.id);
    const xml = await spMetadata(world.connection.id);
    expect(xml).toContain('AuthnRequestsSigned="false"');
    expect(xml).toMatch(new RegExp(`<KeyDescriptor use="encryption">[\\s\\S]*${row.spEncryptionCertificate!.slice(0, 60).replace(/[+/]/g, "\\$&")}`));
    expect(xml).not.toContain('use="signing"');
    expect(xml).not.toContain(row.spSigningCertificate!.slice(0, 60));
    expect(xml).not.toMatch(/PRIVATE KEY/);
  });
});

describe("Signed AuthnRequests", () => {
  it("default: off when the IdP's metadata does not ask for signed requests; the AuthnRequest carries no Signature, and an IdP that requires one refuses it (ERR_MISSING_SIG_ALG)", async () => {
    const world = await orgWithSaml(idp);
    expect((await connectionRow(world.connection.id)).signAuthnRequests).toBe(false);
    const url = await startFlow({ connectionId: world.connection.id });
    expect(new URL(url).searchParams.has("Signature")).toBe(false);
    await expect(idp.verifySignedRequest(url, await spMetadata(world.connection.id))).rejects.toThrow("ERR_MISSING_SIG_ALG");
  });

  it("default: on when the IdP's metadata says WantAuthnRequestsSigned; the SP metadata says AuthnRequestsSigned=\"true\" with our signing certificate, and samlify's IdP verifies the request's RSA-SHA256 signature against it; the sign-in then completes", async () => {
    const world = await withRule({ wantSignedRequests: true });
    const row = await connectionRow(world.connection.id);
    expect(row).toMatchObject({ signAuthnRequests: true, idpWantsSignedRequests: true });
    const metadataXml = await spMetadata(world.connection.id);
    expect(metadataXml).toContain('AuthnRequestsSigned="true"');
    expect(metadataXml).toMatch(/<KeyDescriptor use="signing">/);
    expect(metadataXml).toContain(row.spSigningCertificate!.slice(0, 60));
    const url = await startFlow({ connectionId: world.connection.id });
    expect(new URL(url).searchParams.get("SigAlg")).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    await expect(idp.verifySignedRequest(url, metadataXml)).resolves.toEqual({ sigAlg: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" });
    const request = idp.readRequest(url);
    const done = await postToAcs(world.connection.id, idp.respond(someone(world), { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState }));
    expect(done).toMatchObject({ purpose: "sign-in" });
    const [created] = (await auditRows("sso.connection.created")).filter((e) => e.target_id === world.connection.id);
    expect(created!.metadata).toMatchObject({ after: { signAuthnRequests: true, requireEncryptedAssertions: false } });
  });

  it("the signature covers the request and its RelayState: a changed RelayState, or another connection's certificate, does not verify (ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION)", async () => {
    const world = await orgWithSaml(idp, { wantSignedRequests: true });
    const other = await orgWithSaml(idp, { wantSignedRequests: true });
    const url = new URL(await startFlow({ connectionId: world.connection.id }));
    await expect(idp.verifySignedRequest(url.href, await spMetadata(other.connection.id))).rejects.toThrow("ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION");
    url.searchParams.set("RelayState", "someone-elses-state");
    await expect(idp.verifySignedRequest(url.href, await spMetadata(world.connection.id))).rejects.toThrow("ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION");
  });

  it("refused: turning signing off for an IdP whose metadata requires it, at creation and by an update, with the field and the reason named", async () => {
    const org = await makeOrg("SAML Must Sign");
    const refused = createSamlConnection(org.operator, meta, { metadataXml: idp.metadataXml(false, true), signAuthnRequests: false });
    await expect(refused).rejects.toMatchObject({ code: "validation", fieldErrors: { signAuthnRequests: [expect.stringContaining("WantAuthnRequestsSigned")] } });
    const world = await orgWithSaml(idp, { wantSignedRequests: true });
    await expect(runCommand(updateConnectionCommand, world.org.operator, meta, { connectionId: world.connection.id, signAuthnRequests: false })).rejects.toMatchObject({
      code: "validation",
      fieldErrors: { signAuthnRequests: [expect.stringContaining("must stay on")] },
    });
    expect((await connectionRow(world.connection.id)).signAuthnRequests).toBe(true);
  });

  it("an administrator may turn signing on for an IdP that did not ask (audited before and after); an OIDC connection refuses the SAML-only options", async () => {
    const world = await orgWithSaml(idp);
    await runCommand(updateConnectionCommand, world.org.operator, meta, { connectionId: world.connection.id, signAuthnRequests: true });
    const url = await startFlow({ connectionId: world.connection.id });
    await expect(idp.verifySignedRequest(url, await spMetadata(world.connection.id))).resolves.toMatchObject({ sigAlg: expect.stringContaining("rsa-sha256") });
    const [event] = (await auditRows("sso.connection.updated")).filter((e) => e.target_id === world.connection.id);
    expect(event!.metadata).toMatchObject({ before: { signAuthnRequests: false }, after: { signAuthnRequests: true } });
    expect(JSON.stringify(event!.metadata)).not.toMatch(/PRIVATE KEY|v1:/);
  });

  it("a connection made before SP keys existed gets its key pairs when an option first needs them", async () => {
    const world = await orgWithSaml(idp);
    await asOperator((tx) => tx.update(ssoConnections).set({ spSigningKeySealed: null, spSigningCertificate: null, spEncryptionKeySealed: null, spEncryptionCertificate: null }).where(eq(ssoConnections.id, world.connection.id)));
    expect(await spMetadata(world.connection.id)).not.toContain("KeyDescriptor");
    await runCommand(updateConnectionCommand, world.org.operator, meta, { connectionId: world.connection.id, requireEncryptedAssertions: true });
    const row = await connectionRow(world.connection.id);
    expect(row.spEncryptionCertificate).toBeTruthy();
    expect(row.spSigningKeySealed).toMatch(/^v1:/);
    expect(await spMetadata(world.connection.id)).toContain('use="encryption"');
  });
});

describe("Encrypted assertions", () => {
  it("an assertion encrypted to the connection's certificate (AES-256-GCM, RSA-OAEP) is decrypted and accepted: the signed assertion inside is read, signs the person in", async () => {
    const world = await withRule({});
    await expect(encryptedAttempt(world)).resolves.toMatchObject({ purpose: "sign-in" });
    // The response signed around the EncryptedAssertion as well.
    await expect(encryptedAttempt(world, { sign: "both" })).resolves.toMatchObject({ purpose: "sign-in" });
  });

  it("a connection that requires encryption accepts an encrypted assertion", async () => {
    const world = await withRule({ requireEncryptedAssertions: true });
    expect((await connectionRow(world.connection.id)).requireEncryptedAssertions).toBe(true);
    await expect(encryptedAttempt(world)).resolves.toMatchObject({ purpose: "sign-in" });
  });

  it("refused: an assertion encrypted to another connection's certificate (the wrong key), with a reason and detail that say so", async () => {
    const world = await withRule({ requireEncryptedAssertions: true });
    const other = await orgWithSaml(idp);
    const refusal = await expectRefused(encryptedAttempt(world, { spMetadataXml: await spMetadata(other.connection.id) }), world, "assertion-decryption-failed");
    expect(refusal.error).toMatch(/does not open with this connection's encryption key/);
  });

  it("refused: a plain (unencrypted) assertion when the connection requires encryption, even though it is validly signed", async () => {
    const world = await withRule({ requireEncryptedAssertions: true });
    const refusal = await expectRefused(plainAttempt(world), world, "assertion-not-encrypted");
    expect(refusal.error).toMatch(/requires an encrypted assertion/);
    await expectRefused(plainAttempt(world, { sign: "both" }), world, "assertion-not-encrypted");
  });

  it("refused: encryption is not a signature; an encrypted assertion that nobody signed is refused", async () => {
    const world = await withRule({});
    await expectRefused(encryptedAttempt(world, { sign: "none" }), world, "signature-invalid");
  });
});
