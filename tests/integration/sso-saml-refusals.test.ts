import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ssoAssertionIds } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { readFormBody } from "@/app/sso/saml/[connectionId]/acs/read-form-body";
import { asOperator } from "../support/as-operator";
import { makeMember, makeOrg, meta } from "../support/factories";
import { orgWithSaml, postToAcs, samlResponseFor } from "../support/saml-fixtures";
import { startSamlTestIdp, type SamlResponseOptions, type SamlTestIdp, type SamlTestUser } from "../support/saml-test-idp";
import { addRule, allowLoopbackIdps, orgWithOidc } from "../support/sso-fixtures";
import { auditRows } from "./one-time-links";

let idp: SamlTestIdp;
let world: Awaited<ReturnType<typeof orgWithSaml>>;
let unsolicited: Awaited<ReturnType<typeof orgWithSaml>>;
beforeAll(async () => {
  allowLoopbackIdps();
  idp = await startSamlTestIdp();
  world = await orgWithSaml(idp);
  await addRule(world.org.operator, world.connection.id, "groups", "staff", "Buyer");
  unsolicited = await orgWithSaml(idp, { allowIdpInitiated: true });
  await addRule(unsolicited.org.operator, unsolicited.connection.id, "groups", "staff", "Buyer");
});
afterAll(() => idp.close());

const someone = (domain = world.domain): SamlTestUser => {
  const email = `p-${crypto.randomUUID().slice(0, 8)}@${domain}`;
  return { nameId: email, attributes: { email, groups: ["staff"] } };
};

/** An SP-initiated attempt where the IdP's answer differs from a good one by `overrides`. */
async function attempt(overrides: Partial<SamlResponseOptions>, user = someone()) {
  const { posted } = await samlResponseFor(idp, world.connection, user, overrides);
  return postToAcs(world.connection.id, posted);
}

async function refusalOf(connectionId = world.connection.id) {
  const rows = (await auditRows("auth.sso.failed")).filter((e) => e.metadata.connectionId === connectionId);
  return rows.at(-1)!.metadata;
}

async function expectRefused(run: Promise<unknown>, reason: string, connectionId = world.connection.id) {
  await expect(run).rejects.toMatchObject({ code: "unauthorized", message: "Single sign-on did not succeed." });
  const refusal = await refusalOf(connectionId);
  expect(refusal).toMatchObject({ reason, protocol: "saml" });
  expect(JSON.stringify(refusal)).not.toMatch(/<saml|SignatureValue/);
  return refusal;
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe("SSO (SAML): every checklist line and every negative case is refused and audited", () => {
  it("the same IdP without a fault signs in (so each refusal below is the fault's)", async () => {
    await expect(attempt({})).resolves.toMatchObject({ purpose: "sign-in" });
  });

  it("Require a signed assertion (or a signed response wrapping it): an unsigned response and assertion are refused", async () => {
    await expectRefused(attempt({ sign: "none" }), "signature-invalid");
  });

  it("Accept several IdP certificates during a rotation, but only those: a response signed by a certificate the connection does not hold (wrong cert) is refused", async () => {
    await expectRefused(attempt({ key: "rogue" }), "signature-invalid");
    await expectRefused(attempt({ key: "next" }), "signature-invalid");
  });

  it("Reject XML signature wrapping: an evil unsigned assertion placed beside the signed one is refused", async () => {
    const evil = someone();
    await expectRefused(
      attempt({
        tamper: (xml) => {
          const signed = xml.match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)![0];
          const forged = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "").replace(/ID="[^"]+"/, 'ID="_evil"').replace(/<saml:NameID([^>]*)>[^<]*</, `<saml:NameID$1>${evil.nameId}<`);
          return xml.replace(signed, forged + signed);
        },
      }),
      "signature-invalid",
    );
  });

  it("Reject XML signature wrapping: the signed element is the one that is read (the signed assertion moved into Extensions, an unsigned one in its place, is refused)", async () => {
    const evil = someone();
    await expectRefused(
      attempt({
        tamper: (xml) => {
          const signed = xml.match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)![0];
          const forged = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "").replace(/<saml:NameID([^>]*)>[^<]*</, `<saml:NameID$1>${evil.nameId}<`);
          return xml.replace(signed, `<samlp:Extensions>${signed}</samlp:Extensions>${forged}`);
        },
      }),
      "signature-invalid",
    );
  });

  it("Reject XML signature wrapping: a signed response tucked inside a new root that carries a forged assertion is refused (the signature covers an element that is not the one read)", async () => {
    const evil = someone();
    await expectRefused(
      attempt({
        sign: "response",
        tamper: (xml) => {
          const forged = xml.match(/<saml:Assertion[\s\S]*<\/saml:Assertion>/)![0].replace(/ID="[^"]+"/, 'ID="_evil"').replace(/<saml:NameID([^>]*)>[^<]*</, `<saml:NameID$1>${evil.nameId}<`);
          return `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_outer" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${world.connection.acsUrl}"><samlp:Extensions>${xml}</samlp:Extensions>${forged}</samlp:Response>`;
        },
      }),
      "signature-invalid",
    );
  });

  it("comments in NameID: `victim@org<!---->.evil.test` (the signature still verifies, comments are not signed) is read whole, never as the victim", async () => {
    const victim = await makeMember(world.org.operator, { email: `victim-${crypto.randomUUID().slice(0, 6)}@${world.domain}` });
    const forgedId = `${victim.email}.evil.test`;
    const refusal = await expectRefused(
      attempt(
        { tamper: (xml) => xml.replace(`>${forgedId}</saml:NameID>`, `>${victim.email}<!---->.evil.test</saml:NameID>`) },
        { nameId: forgedId, attributes: { groups: ["staff"] } },
      ),
      "domain-not-verified",
    );
    expect(refusal).toMatchObject({ subject: forgedId, email: forgedId });
  });

  it("Check audience: an assertion for another SP's entity id is refused", async () => {
    await expectRefused(attempt({ audience: "https://other-sp.example/metadata" }), "audience-mismatch");
  });

  it("Check recipient: a SubjectConfirmationData whose Recipient is another ACS is refused", async () => {
    await expectRefused(attempt({ recipient: "https://other-sp.example/acs" }), "recipient-mismatch");
  });

  it("Check destination: a response whose Destination is another URL, or none, is refused", async () => {
    await expectRefused(attempt({ destination: "https://other-sp.example/acs" }), "destination-mismatch");
    await expectRefused(attempt({ destination: null }), "destination-mismatch");
  });

  it("Check `InResponseTo`: a response answering another AuthnRequest is refused", async () => {
    await expectRefused(attempt({ inResponseTo: "_someone-elses-request" }), "in-response-to-mismatch");
  });

  it("Check `InResponseTo`: an unsolicited response (no InResponseTo) to a flow we started is refused", async () => {
    await expectRefused(attempt({ inResponseTo: null }), "in-response-to-mismatch");
  });

  it("Check `NotOnOrAfter` (expired): an assertion past its NotOnOrAfter by more than the skew is refused", async () => {
    await expectRefused(attempt({ notBefore: minutes(-20), notOnOrAfter: minutes(-5), issueInstant: minutes(-8) }), "assertion-expired");
  });

  it("Check `NotOnOrAfter` with a bounded lifetime: an assertion issued 15 minutes ago is refused even if the IdP let it live for an hour", async () => {
    await expectRefused(attempt({ issueInstant: minutes(-15), notBefore: minutes(-15), notOnOrAfter: minutes(45) }), "assertion-expired");
  });

  it("Check `NotBefore`: an assertion not valid for more than the skew is refused", async () => {
    await expectRefused(attempt({ notBefore: minutes(5), notOnOrAfter: minutes(10), issueInstant: minutes(5) }), "assertion-not-yet-valid");
  });

  it("with a bounded skew: a minute's clock difference either way is accepted", async () => {
    await expect(attempt({ notBefore: minutes(1), issueInstant: minutes(1) })).resolves.toMatchObject({ purpose: "sign-in" });
    await expect(attempt({ notBefore: minutes(-6), notOnOrAfter: minutes(-1), issueInstant: minutes(-3) })).resolves.toMatchObject({ purpose: "sign-in" });
  });

  it("an assertion from another issuer (signed with the trusted key) is refused", async () => {
    await expectRefused(attempt({ issuer: "https://evil-idp.example" }), "issuer-mismatch");
  });

  it("Keep a replay cache of assertion ids until they expire: the same assertion posted twice (IdP-initiated, no flow to use up) is refused the second time; the id is kept until its NotOnOrAfter", async () => {
    const notOnOrAfter = minutes(4);
    const posted = idp.respond(someone(unsolicited.domain), { acsUrl: unsolicited.connection.acsUrl, audience: unsolicited.connection.entityId, inResponseTo: null, notOnOrAfter });
    await expect(postToAcs(unsolicited.connection.id, posted)).resolves.toMatchObject({ purpose: "sign-in" });
    const [cached] = await asOperator((tx) => tx.select().from(ssoAssertionIds).where(eq(ssoAssertionIds.connectionId, unsolicited.connection.id)));
    expect(cached!.expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(notOnOrAfter.getTime() / 1000) * 1000);
    await expectRefused(postToAcs(unsolicited.connection.id, posted), "assertion-replayed", unsolicited.connection.id);
  });

  it("the replay cache forgets only expired ids: an expired row of the connection is swept at the next sign-in, a live one stays", async () => {
    await asOperator((tx) => tx.insert(ssoAssertionIds).values([
      { orgId: unsolicited.org.id, connectionId: unsolicited.connection.id, assertionId: "_old", expiresAt: minutes(-60) },
      { orgId: unsolicited.org.id, connectionId: unsolicited.connection.id, assertionId: "_live", expiresAt: minutes(60) },
    ]));
    await postToAcs(unsolicited.connection.id, idp.respond(someone(unsolicited.domain), { acsUrl: unsolicited.connection.acsUrl, audience: unsolicited.connection.entityId, inResponseTo: null }));
    const ids = (await asOperator((tx) => tx.select().from(ssoAssertionIds).where(eq(ssoAssertionIds.connectionId, unsolicited.connection.id)))).map((r) => r.assertionId);
    expect(ids).toContain("_live");
    expect(ids).not.toContain("_old");
    await expectRefused(postToAcs(unsolicited.connection.id, idp.respond(someone(unsolicited.domain), { acsUrl: unsolicited.connection.acsUrl, audience: unsolicited.connection.entityId, inResponseTo: null, assertionId: "_live" })), "assertion-replayed", unsolicited.connection.id);
  });

  it("a replayed SP-initiated response: the flow was used up by the first post, so the second is refused (state-invalid)", async () => {
    const { posted } = await samlResponseFor(idp, world.connection, someone());
    await expect(postToAcs(world.connection.id, posted)).resolves.toMatchObject({ purpose: "sign-in" });
    await expectRefused(postToAcs(world.connection.id, posted), "state-invalid");
  });

  it("IdP-initiated sign-in is off unless an admin turns it on: an unsolicited signed response to a connection that has not turned it on is refused", async () => {
    const posted = idp.respond(someone(), { acsUrl: world.connection.acsUrl, audience: world.connection.entityId, inResponseTo: null });
    await expectRefused(postToAcs(world.connection.id, posted), "idp-initiated-disabled");
  });

  it("IdP-initiated on still checks InResponseTo: an unsolicited post carrying an InResponseTo is refused", async () => {
    const posted = idp.respond(someone(unsolicited.domain), { acsUrl: unsolicited.connection.acsUrl, audience: unsolicited.connection.entityId, inResponseTo: "_forged" });
    await expectRefused(postToAcs(unsolicited.connection.id, posted), "unsolicited-not-allowed", unsolicited.connection.id);
  });

  it("a tampered RelayState (state) is refused, and a flow started for one connection cannot complete at another's ACS", async () => {
    const { posted } = await samlResponseFor(idp, world.connection, someone());
    await expectRefused(postToAcs(world.connection.id, { ...posted, RelayState: `${posted.RelayState}x` }), "state-invalid");
    const other = await orgWithSaml(idp);
    const { posted: theirs } = await samlResponseFor(idp, other.connection, someone(other.domain));
    await expectRefused(postToAcs(world.connection.id, theirs), "state-invalid");
  });

  it("Never fetch a DTD, never expand entities: a response with a DOCTYPE (an entity that would expand) is refused before parsing", async () => {
    await expectRefused(attempt({ tamper: (xml) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:1/dtd">]>${xml}` }), "xml-doctype");
  });

  it("Never fetch a DTD, never expand entities: IdP metadata with a DOCTYPE is refused with a plain message", async () => {
    const org = await makeOrg("DTD Org");
    const xml = idp.metadataXml().replace(/^(<\?xml[^>]*\?>)?/, `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e "x">]>`);
    await expect(createSamlConnection(org.operator, meta, { metadataXml: xml })).rejects.toMatchObject({ code: "validation", fieldErrors: { metadataXml: ["must not contain a DOCTYPE or entity declarations"] } });
  });

  it("malformed responses never reach a 500: not base64, not XML, a LogoutResponse, an OIDC connection's id, an unknown id", async () => {
    await expect(postToAcs(world.connection.id, { SAMLResponse: "%%%", RelayState: null })).rejects.toMatchObject({ code: "validation" });
    await expectRefused(postToAcs(unsolicited.connection.id, { SAMLResponse: Buffer.from("not xml at all <").toString("base64"), RelayState: null }), "xml-malformed", unsolicited.connection.id);
    await expect(postToAcs(unsolicited.connection.id, { SAMLResponse: Buffer.from('<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l" Version="2.0"/>').toString("base64"), RelayState: null })).rejects.toMatchObject({ code: "unauthorized" });
    const oidc = await orgWithOidc({ issuer: "http://127.0.0.1:9/", clientId: "c", clientSecret: "s" }).catch(() => null);
    const unknown = crypto.randomUUID();
    await expect(postToAcs(oidc?.connection.id ?? unknown, { SAMLResponse: Buffer.from("<x/>").toString("base64"), RelayState: null })).rejects.toMatchObject({ code: "unauthorized" });
    await expect(postToAcs("not-a-uuid", { SAMLResponse: "AAAA", RelayState: null })).rejects.toMatchObject({ code: "validation", fieldErrors: { connectionId: ["must be a connection id"] } });
  });

  it("the ACS route's body reader: a body over the limit, another content type, or bytes that are not UTF-8 read as nothing (the route answers the error page, never a 500)", async () => {
    const read = (body: BodyInit, type = "application/x-www-form-urlencoded", headers: Record<string, string> = {}) => readFormBody(new Request(world.connection.acsUrl, { method: "POST", headers: { "content-type": type, ...headers }, body }), 1024);
    expect(await read(`SAMLResponse=${"A".repeat(2048)}`)).toBeNull();
    expect(await read("SAMLResponse=AAAA", "application/x-www-form-urlencoded", { "content-length": "999999" })).toBeNull();
    expect(await read("{}", "application/json")).toBeNull();
    expect(await read(new Uint8Array([0x53, 0x3d, 0xff, 0xfe]))).toBeNull();
    expect((await read("SAMLResponse=QUJD&RelayState=xyz"))?.get("RelayState")).toBe("xyz");
    // NUL bytes in the fields reach the command's boundary scan, which refuses them as input.
    await expect(postToAcs(world.connection.id, { SAMLResponse: "PHg+\u0000", RelayState: "\u0000" })).rejects.toMatchObject({ code: "validation" });
  });

  it("creating a connection needs sso:manage: a member without it is refused (and recorded) before any metadata URL is fetched; bad input names the field", async () => {
    const buyer = await makeMember(world.org.operator, { roleName: "Buyer" });
    let fetched = 0;
    const spy = new URL(idp.metadataUrl);
    const original = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).startsWith(spy.origin)) fetched++;
      return original(input, init);
    }) as typeof fetch;
    try {
      await expect(createSamlConnection(buyer.principal, meta, { metadataUrl: idp.metadataUrl })).rejects.toMatchObject({ code: "forbidden" });
    } finally {
      globalThis.fetch = original;
    }
    expect(fetched).toBe(0);
    const denied = (await auditRows("access.denied")).filter((e) => e.actor_id === buyer.userId);
    expect(denied.at(-1)!.metadata).toMatchObject({ command: "sso.connection.created", permission: "sso:manage" });
    const op = world.org.operator;
    await expect(createSamlConnection(op, meta, { metadataXml: "x\u0000y" })).rejects.toMatchObject({ code: "validation" });
    await expect(createSamlConnection(op, meta, JSON.parse('{"metadataXml":"<x/>","__proto__":{"admin":true}}'))).rejects.toMatchObject({ code: "validation" });
    await expect(createSamlConnection(op, meta, { metadataXml: "<x/>".repeat(200_000) })).rejects.toMatchObject({ code: "validation", fieldErrors: { metadataXml: ["must be at most 512 KB"] } });
    await expect(createSamlConnection(op, meta, {})).rejects.toMatchObject({ code: "validation", fieldErrors: { metadataUrl: [expect.stringContaining("exactly one")] } });
    await expect(createSamlConnection(op, meta, { metadataXml: "<EntityDescriptor/>" })).rejects.toMatchObject({ code: "validation", fieldErrors: { metadataXml: [expect.stringContaining("not SAML 2.0 metadata")] } });
    await expect(createSamlConnection(op, meta, { metadataXml: idp.metadataXml().replace(/<(\w+:)?X509Certificate>[^<]+</g, "<$1X509Certificate>bm90IGEgY2VydA==<") })).rejects.toMatchObject({ fieldErrors: { metadataXml: [expect.stringContaining("not a valid X.509")] } });
    // A wrong org: the command acts in the principal's org only; the other org sees nothing.
    const count = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from sso_connections where org_id = ${world.org.id}`));
    expect(count[0]!.n).toBe(1);
  });

  it("the underlying command still refuses a SAML connection with an http SSO URL when the test setting is off", async () => {
    delete process.env.SSO_ALLOW_INSECURE_HTTP;
    try {
      await expect(createSamlConnection(world.org.operator, meta, { metadataXml: idp.metadataXml() })).rejects.toMatchObject({ code: "validation", fieldErrors: { idpSsoUrl: [expect.stringContaining("https")] } });
      await expect(runCommand(createConnectionCommand, world.org.operator, meta, { protocol: "saml", idpEntityId: "x", idpSsoUrl: "http://idp.example/sso", idpCertificates: [idp.certificates.current] })).rejects.toMatchObject({ code: "validation" });
    } finally {
      allowLoopbackIdps();
    }
  });
});
