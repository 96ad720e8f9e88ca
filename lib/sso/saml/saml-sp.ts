import { SAML, ValidateInResponseTo } from "@node-saml/node-saml";
import { samlAcsUrl, samlEntityId } from "../connection-urls";
import type { SsoConnectionRow } from "../load-connection";

/** How far the IdP's clock may be from ours, both ways, for NotBefore and NotOnOrAfter. */
export const SAML_CLOCK_SKEW_MS = 2 * 60 * 1000;
/** An assertion older than this (by IssueInstant) is refused even if the IdP let it live longer. */
export const SAML_MAX_ASSERTION_AGE_MS = 10 * 60 * 1000;

const pem = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----`;

/**
 * node-saml's service provider for one connection: our entity id and ACS URL, the IdP's SSO URL
 * and every certificate it may sign with (several during a rotation). Either a signed response
 * or a signed assertion is enough (the two `want…Signed: false`); node-saml still refuses a
 * response where neither signature verifies, and reads the assertion only out of the XML its
 * signature covers. InResponseTo is checked by us against the flow in PostgreSQL
 * (check-saml-response.ts), so node-saml's in-memory request cache stays off.
 */
export function samlServiceProvider(connection: SsoConnectionRow, { forceAuthn = false, requestId, advertiseSignedAssertions = false }: { forceAuthn?: boolean; requestId?: string; advertiseSignedAssertions?: boolean } = {}): SAML {
  return new SAML({
    callbackUrl: samlAcsUrl(connection.id),
    issuer: samlEntityId(connection.id),
    audience: samlEntityId(connection.id),
    entryPoint: connection.idpSsoUrl ?? undefined,
    idpCert: connection.idpCertificates.map(pem),
    idpIssuer: connection.idpEntityId ?? undefined,
    wantAssertionsSigned: advertiseSignedAssertions,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.never,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    maxAssertionAgeMs: SAML_MAX_ASSERTION_AGE_MS,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    forceAuthn,
    authnRequestBinding: "HTTP-Redirect",
    ...(requestId ? { generateUniqueId: () => requestId } : {}),
  });
}

/**
 * The SP metadata an IdP administrator imports: entity id, ACS (POST binding), and
 * WantAssertionsSigned="true", so IdPs sign the assertion itself (a signed response alone is
 * still accepted, for IdPs that can only do that).
 */
export function samlSpMetadataXml(connection: SsoConnectionRow): string {
  return samlServiceProvider(connection, { advertiseSignedAssertions: true }).generateServiceProviderMetadata(null, null);
}
