import { childElements, fullText, onlyChild, parseSafeXml, SAML_ASSERTION_NS, SAML_PROTOCOL_NS } from "./saml-xml";
import { SAML_CLOCK_SKEW_MS } from "./saml-sp";

const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/** What a response must answer: our ACS, the IdP, and the AuthnRequest (null: unsolicited). */
export interface SamlExpectations {
  acsUrl: string;
  idpEntityId: string;
  requestId: string | null;
}

/** The facts read from the signed assertion, for the replay cache and the profile. */
export interface CheckedAssertion {
  assertionId: string;
  /** Until when the replay cache must remember the id (the latest NotOnOrAfter, plus the skew). */
  rememberUntil: Date;
  nameId: string;
  nameIdFormat: string | null;
  authnContextClassRef: string | null;
}

/** A refusal reason for the audit trail and /sso/error, plus a short detail (never XML). */
export class SamlCheckError extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

const fail = (reason: string, detail: string): never => {
  throw new SamlCheckError(reason, detail);
};

/**
 * The checks node-saml leaves to us, run on the *signed* assertion's XML (the one node-saml
 * extracted from what the signature covers) and on the response's envelope:
 * Destination, the bearer SubjectConfirmationData's Recipient, NotOnOrAfter and InResponseTo, the
 * assertion's Issuer and ID. An unsolicited response (no InResponseTo anywhere) is acceptable only
 * when the caller passes `requestId: null`, i.e. the connection allows IdP-initiated sign-in.
 */
export function checkSamlResponse(responseXml: string, signedAssertionXml: string, expected: SamlExpectations, now = Date.now()): CheckedAssertion {
  const response = parseSafeXml(responseXml).documentElement!;
  if (response.namespaceURI !== SAML_PROTOCOL_NS || response.localName !== "Response") fail("not-a-response", "the message is not a SAML Response");
  const destination = response.getAttribute("Destination");
  if (destination !== expected.acsUrl) fail("destination-mismatch", `Destination ${destination ? "names another URL" : "is missing"}`);
  const responseInResponseTo = response.getAttribute("InResponseTo") || null;

  const assertion = parseSafeXml(signedAssertionXml).documentElement!;
  const issuer = onlyChild(assertion, SAML_ASSERTION_NS, "Issuer");
  if (!issuer || fullText(issuer) !== expected.idpEntityId) fail("issuer-mismatch", "the assertion's Issuer is not the connection's IdP");
  const assertionId = assertion.getAttribute("ID") || fail("assertion-id-missing", "the assertion has no ID");
  if (assertionId.length > 256) fail("assertion-id-missing", "the assertion's ID is too long");

  const subject = onlyChild(assertion, SAML_ASSERTION_NS, "Subject") ?? fail("no-subject", "the assertion has no single Subject");
  const nameIdElement = onlyChild(subject, SAML_ASSERTION_NS, "NameID") ?? fail("no-subject", "the assertion's Subject has no single NameID");
  const nameId = fullText(nameIdElement);
  if (!nameId || nameId.length > 512) fail("no-subject", "the NameID is empty or too long");

  const confirmation = bearerConfirmation(subject, expected, responseInResponseTo, now);
  const conditions = onlyChild(assertion, SAML_ASSERTION_NS, "Conditions");
  const until = Math.max(Date.parse(confirmation.getAttribute("NotOnOrAfter")!), Date.parse(conditions?.getAttribute("NotOnOrAfter") ?? "") || 0);
  const authn = childElements(assertion, SAML_ASSERTION_NS, "AuthnStatement")[0];
  const context = authn && onlyChild(authn, SAML_ASSERTION_NS, "AuthnContext");
  const classRef = context && onlyChild(context, SAML_ASSERTION_NS, "AuthnContextClassRef");
  return {
    assertionId,
    rememberUntil: new Date(until + SAML_CLOCK_SKEW_MS),
    nameId,
    nameIdFormat: nameIdElement.getAttribute("Format") || null,
    authnContextClassRef: classRef ? fullText(classRef) : null,
  };
}

/**
 * The bearer SubjectConfirmationData that fits: Recipient is our ACS, NotOnOrAfter has not passed
 * (within the skew), and InResponseTo answers our request (or is absent, for an unsolicited
 * response we accept). The envelope's InResponseTo, unsigned when only the assertion is, must
 * agree with it.
 */
function bearerConfirmation(subject: Element, expected: SamlExpectations, responseInResponseTo: string | null, now: number): Element {
  if (responseInResponseTo !== expected.requestId) fail(expected.requestId ? "in-response-to-mismatch" : "unsolicited-not-allowed", expected.requestId ? "InResponseTo does not answer this sign-in" : "the response answers a request, but this sign-in started at the IdP");
  const candidates = childElements(subject, SAML_ASSERTION_NS, "SubjectConfirmation")
    .filter((c) => c.getAttribute("Method") === BEARER)
    .map((c) => onlyChild(c, SAML_ASSERTION_NS, "SubjectConfirmationData"))
    .filter((d): d is Element => d !== null);
  if (candidates.length === 0) fail("no-bearer-confirmation", "the assertion has no bearer SubjectConfirmationData");
  const recipientOk = candidates.filter((d) => d.getAttribute("Recipient") === expected.acsUrl);
  if (recipientOk.length === 0) fail("recipient-mismatch", "no SubjectConfirmationData names this connection's ACS URL as Recipient");
  const answering = recipientOk.filter((d) => (d.getAttribute("InResponseTo") || null) === expected.requestId);
  if (answering.length === 0) fail(expected.requestId ? "in-response-to-mismatch" : "unsolicited-not-allowed", "the signed SubjectConfirmationData's InResponseTo does not answer this sign-in");
  const live = answering.find((d) => {
    const notOnOrAfter = Date.parse(d.getAttribute("NotOnOrAfter") ?? "");
    const notBefore = Date.parse(d.getAttribute("NotBefore") ?? "");
    return Number.isFinite(notOnOrAfter) && now - SAML_CLOCK_SKEW_MS < notOnOrAfter && !(Number.isFinite(notBefore) && now + SAML_CLOCK_SKEW_MS < notBefore);
  });
  return live ?? fail("assertion-expired", "the SubjectConfirmationData has no NotOnOrAfter, or it has passed");
}

/**
 * A connection that requires encrypted assertions refuses a response carrying a plain Assertion
 * (which anyone on the way, a proxy or a browser extension, could read): it must hold exactly one
 * EncryptedAssertion and no Assertion.
 */
export function assertEncryptedIfRequired(responseDoc: Document, required: boolean): void {
  if (!required) return;
  const response = responseDoc.documentElement!;
  const plain = childElements(response, SAML_ASSERTION_NS, "Assertion").length;
  const encrypted = childElements(response, SAML_ASSERTION_NS, "EncryptedAssertion").length;
  if (plain > 0 || encrypted !== 1) fail("assertion-not-encrypted", "this connection requires an encrypted assertion (EncryptedAssertion), and the response carries a plain one; turn on assertion encryption at the IdP with our encryption certificate");
}
