import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import * as samlify from "samlify";

/**
 * A SAML 2.0 IdP on loopback for the SSO tests: samlify in IdP mode publishes its metadata and
 * signs every response (RSA-SHA256, exclusive c14n) with a real key. Tests build responses with
 * `respond`, varying exactly one thing (audience, recipient, times, what is signed, which key...)
 * to prove each refusal; the HTTP side (`/sso`, a login form) is what a browser walks through.
 */
export interface SamlTestUser {
  nameId: string;
  nameIdFormat?: string;
  attributes?: Record<string, string | string[]>;
  authnContextClassRef?: string;
}

export interface SamlResponseOptions {
  /** What carries a signature; default the assertion. */
  sign?: "assertion" | "response" | "both" | "none";
  /** Which key signs: the one in the metadata, the next one (rotation), or one nobody trusts. */
  key?: "current" | "next" | "rogue";
  acsUrl: string;
  audience: string;
  /** The AuthnRequest answered (from `readRequest`); null for an unsolicited response. */
  inResponseTo: string | null;
  relayState?: string | null;
  recipient?: string;
  destination?: string | null;
  issuer?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  issueInstant?: Date;
  assertionId?: string;
  /** Changes the signed XML afterwards (a wrapping attack, a comment in the NameID). */
  tamper?: (signedXml: string) => string;
}

export interface SamlTestIdp {
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  /** samlify's metadata, naming the current certificate (and the next, once `publishNext`); `wantSignedRequests` sets WantAuthnRequestsSigned. */
  metadataXml(withNext?: boolean, wantSignedRequests?: boolean): string;
  certificates: { current: string; next: string; rogue: string };
  /** Who the login form signs in next (the browser path). */
  nextLogin: SamlTestUser | null;
  readRequest(authnRequestUrl: string): { id: string; acsUrl: string; relayState: string | null; forceAuthn: boolean; issuer: string };
  respond(user: SamlTestUser, options: SamlResponseOptions): { SAMLResponse: string; RelayState: string | null; xml: string };
  /**
   * As samlify's IdP does when it wants signed AuthnRequests: checks the redirect binding's
   * SigAlg and Signature over the raw query against the signing certificate in the SP's metadata.
   * Throws (samlify's ERR_MISSING_SIG_ALG, ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION) otherwise.
   */
  verifySignedRequest(authnRequestUrl: string, spMetadataXml: string): Promise<{ sigAlg: string | null }>;
  /**
   * A response whose assertion (signed first, unless `sign: "none"`) samlify encrypts to the
   * encryption certificate of `spMetadataXml` (AES-256-GCM, RSA-OAEP); `sign: "response"` or
   * `"both"` then signs the response around the EncryptedAssertion.
   */
  respondEncrypted(user: SamlTestUser, options: SamlResponseOptions & { spMetadataXml: string }): Promise<{ SAMLResponse: string; RelayState: string | null; xml: string }>;
  close(): Promise<void>;
}

interface KeyPair {
  privateKey: string;
  certificate: string;
}

/** A throwaway RSA key and self-signed certificate (openssl; samlify signs with them). */
function makeKeyPair(name: string): KeyPair {
  const out = execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "-", "-out", "-", "-days", "2", "-subj", `/CN=${name}`], { stdio: ["ignore", "pipe", "ignore"] }).toString();
  const privateKey = out.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)![0];
  const certificate = out.match(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/)![1]!.replace(/\s+/g, "");
  return { privateKey, certificate };
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

export async function startSamlTestIdp(): Promise<SamlTestIdp> {
  const keys = { current: makeKeyPair("test-idp"), next: makeKeyPair("test-idp-next"), rogue: makeKeyPair("rogue-idp") };
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${base}/idp`;
  const ssoUrl = `${base}/sso`;

  // samlify validates a message's XML against its schema before reading it; the tests need no
  // schema check of our own AuthnRequests (node-saml builds them), only the signature's.
  samlify.setSchemaValidator({ validate: () => Promise.resolve("skipped") });
  const metadataXml = (withNext = false, wantSignedRequests = false) =>
    samlify
      .IdentityProvider({
        entityID: entityId,
        wantAuthnRequestsSigned: wantSignedRequests,
        signingCert: withNext ? [keys.current.certificate, keys.next.certificate] : keys.current.certificate,
        singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: ssoUrl }],
        singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${base}/slo` }],
        nameIDFormat: ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"],
      })
      .getMetadata();

  const readRequest = (authnRequestUrl: string) => {
    const url = new URL(authnRequestUrl);
    const xml = inflateRawSync(Buffer.from(url.searchParams.get("SAMLRequest")!, "base64")).toString("utf8");
    const attr = (name: string) => xml.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1] ?? "";
    return { id: attr("ID"), acsUrl: attr("AssertionConsumerServiceURL"), relayState: url.searchParams.get("RelayState"), forceAuthn: attr("ForceAuthn") === "true", issuer: xml.match(/<saml:Issuer[^>]*>([^<]+)</)?.[1] ?? "" };
  };

  const verifySignedRequest = async (authnRequestUrl: string, spMetadataXml: string) => {
    const url = new URL(authnRequestUrl);
    const query = Object.fromEntries(url.searchParams.entries());
    // The octet string is the query as sent, without the Signature (SAML bindings 3.4.4.1).
    const octetString = url.search.slice(1).split("&").filter((pair) => !pair.startsWith("Signature=")).join("&");
    const strictIdp = samlify.IdentityProvider({ metadata: metadataXml(false, true) });
    const result = await strictIdp.parseLoginRequest(samlify.ServiceProvider({ metadata: spMetadataXml }), "redirect", { query, octetString });
    return { sigAlg: result.sigAlg ?? null };
  };

  const respondEncrypted = async (user: SamlTestUser, o: SamlResponseOptions & { spMetadataXml: string }) => {
    const sign = o.sign ?? "assertion";
    const inner = respond(user, { ...o, sign: sign === "both" || sign === "assertion" ? "assertion" : "none", tamper: undefined });
    // samlify reads the two algorithms from the entity's settings, which its types do not list.
    const encryptingIdp = samlify.IdentityProvider({
      metadata: metadataXml(),
      isAssertionEncrypted: true,
      dataEncryptionAlgorithm: "http://www.w3.org/2009/xmlenc11#aes256-gcm",
      keyEncryptionAlgorithm: "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
    } as Parameters<typeof samlify.IdentityProvider>[0]);
    let xml = Buffer.from(await samlify.SamlLib.encryptAssertion(encryptingIdp, samlify.ServiceProvider({ metadata: o.spMetadataXml }), inner.xml), "base64").toString("utf8");
    if (sign === "response" || sign === "both") xml = signWith(xml, false, keys[o.key ?? "current"]);
    if (o.tamper) xml = o.tamper(xml);
    return { SAMLResponse: Buffer.from(xml, "utf8").toString("base64"), RelayState: o.relayState ?? null, xml };
  };

  function signWith(raw: string, assertionOnly: boolean, key: KeyPair): string {
    return samlify.SamlLib.constructSAMLSignature({
      rawSamlMessage: raw,
      referenceTagXPath: assertionOnly ? "/*[local-name(.)='Response']/*[local-name(.)='Assertion']" : undefined,
      isMessageSigned: !assertionOnly,
      privateKey: key.privateKey,
      privateKeyPass: "",
      signingCert: key.certificate,
      isBase64Output: false,
      signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
      signatureConfig: {
        prefix: "ds",
        location: { reference: assertionOnly ? "/*[local-name(.)='Response']/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']" : "/*[local-name(.)='Response']/*[local-name(.)='Issuer']", action: "after" },
      },
    } as unknown as Parameters<typeof samlify.SamlLib.constructSAMLSignature>[0]) as string;
  }

  const respond = (user: SamlTestUser, o: SamlResponseOptions) => {
    const now = new Date();
    const issueInstant = o.issueInstant ?? now;
    const notBefore = o.notBefore ?? new Date(now.getTime() - 30_000);
    const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
    const assertionId = o.assertionId ?? `_a${randomUUID().replace(/-/g, "")}`;
    const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : "";
    const destination = o.destination === null ? "" : ` Destination="${esc(o.destination ?? o.acsUrl)}"`;
    const issuer = esc(o.issuer ?? entityId);
    const attributes = Object.entries(user.attributes ?? {})
      .map(([name, value]) => `<saml:Attribute Name="${esc(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${(Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`).join("")}</saml:Attribute>`)
      .join("");
    const assertion =
      `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${iso(issueInstant)}">` +
      `<saml:Issuer>${issuer}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="${esc(user.nameIdFormat ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress")}">${esc(user.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${esc(o.recipient ?? o.acsUrl)}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(issueInstant)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>${esc(user.authnContextClassRef ?? "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : "") +
      `</saml:Assertion>`;
    let xml =
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${randomUUID().replace(/-/g, "")}" Version="2.0" IssueInstant="${iso(issueInstant)}"${destination}${inResponseTo}>` +
      `<saml:Issuer>${issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;
    const key = keys[o.key ?? "current"];
    const sign = o.sign ?? "assertion";
    if (sign === "assertion" || sign === "both") xml = signWith(xml, true, key);
    if (sign === "response" || sign === "both") xml = signWith(xml, false, key);
    if (o.tamper) xml = o.tamper(xml);
    return { SAMLResponse: Buffer.from(xml, "utf8").toString("base64"), RelayState: o.relayState ?? null, xml };
  };

  const idp: SamlTestIdp = {
    entityId,
    ssoUrl,
    metadataUrl: `${base}/metadata`,
    metadataXml,
    certificates: { current: keys.current.certificate, next: keys.next.certificate, rogue: keys.rogue.certificate },
    nextLogin: null,
    readRequest,
    respond,
    verifySignedRequest,
    respondEncrypted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  // The browser path: GET /sso shows a login form; POST /login answers with a form that posts
  // the signed response to the ACS (the POST binding), as a real IdP's page does.
  handler = (req, res) => {
    const url = new URL(req.url ?? "/", base);
    if (url.pathname === "/metadata") return void res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(metadataXml());
    if (url.pathname === "/sso" && req.method === "GET") {
      const request = readRequest(url.href);
      const form = `<form method="post" action="/login"><input type="hidden" name="request" value="${esc(url.href)}"><label>Email <input name="email" type="email" required></label><button type="submit">Sign in at the test IdP</button></form>`;
      return void res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>Test IdP</title><h1>Test IdP sign-in</h1><p>For ${esc(request.issuer)}</p>${form}`);
    }
    if (url.pathname === "/login" && req.method === "POST") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        const request = readRequest(form.get("request")!);
        const user = idp.nextLogin ?? { nameId: form.get("email")!, attributes: { email: form.get("email")! } };
        const audience = request.issuer;
        const r = respond(user, { acsUrl: request.acsUrl, audience, inResponseTo: request.id, relayState: request.relayState, sign: "both" });
        const post = `<form method="post" action="${esc(request.acsUrl)}"><input type="hidden" name="SAMLResponse" value="${r.SAMLResponse}"><input type="hidden" name="RelayState" value="${esc(r.RelayState ?? "")}"><button type="submit">Continue to Countersign</button></form>`;
        res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>Test IdP</title><p>Signed in at the test IdP.</p>${post}`);
      });
      return;
    }
    res.writeHead(404).end();
  };
  return idp;
}
