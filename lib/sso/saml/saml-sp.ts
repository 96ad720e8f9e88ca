import { SAML, ValidateInResponseTo } from "@node-saml/node-saml";
import { samlAcsUrl, samlEntityId } from "../connection-urls";
import type { SsoConnectionRow } from "../load-connection";
import { openSpKey, spCertificatePem } from "./sp-keys";

/** How far the IdP's clock may be from ours, both ways, for NotBefore and NotOnOrAfter. */
export const SAML_CLOCK_SKEW_MS = 2 * 60 * 1000;
/** An assertion older than this (by IssueInstant) is refused even if the IdP let it live longer. */
export const SAML_MAX_ASSERTION_AGE_MS = 10 * 60 * 1000;

const pem = (base64: string) => `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----`;

interface SpOptions {
  forceAuthn?: boolean;
  requestId?: string;
  /** For the SP metadata only: advertise WantAssertionsSigned. */
  advertiseSignedAssertions?: boolean;
  /** For AuthnRequests and the metadata: the signing key, when the connection signs requests. */
  sign?: boolean;
  /** For the ACS and the metadata: the encryption key, so an EncryptedAssertion can be read. */
  decrypt?: boolean;
}

/**
 * node-saml's service provider for one connection: our entity id and ACS URL, the IdP's SSO URL
 * and every certificate it may sign with (several during a rotation). Either a signed response
 * or a signed assertion is enough (the two `want…Signed: false`); node-saml still refuses a
 * response where neither signature verifies, and reads the assertion only out of the XML its
 * signature covers. InResponseTo is checked by us against the flow in PostgreSQL
 * (check-saml-response.ts), so node-saml's in-memory request cache stays off. Our private keys
 * are opened only where they are used: the signing key to build an AuthnRequest (node-saml then
 * signs the redirect binding's query, RSA-SHA256), the encryption key at the ACS.
 */
export function samlServiceProvider(connection: SsoConnectionRow, { forceAuthn = false, requestId, advertiseSignedAssertions = false, sign = false, decrypt = false }: SpOptions = {}): SAML {
  const privateKey = sign && connection.signAuthnRequests ? openSpKey(connection, "signing") : null;
  const decryptionPvk = decrypt ? openSpKey(connection, "encryption") : null;
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
    ...(privateKey ? { privateKey, signatureAlgorithm: "sha256" as const } : {}),
    ...(decryptionPvk ? { decryptionPvk } : {}),
    ...(requestId ? { generateUniqueId: () => requestId } : {}),
  });
}

/**
 * The SP metadata an IdP administrator imports: entity id, ACS (POST binding), and
 * WantAssertionsSigned="true", so IdPs sign the assertion itself (a signed response alone is
 * still accepted, for IdPs that can only do that). When the connection signs its requests,
 * AuthnRequestsSigned="true" and the signing certificate (KeyDescriptor use="signing"); whenever
 * it has an encryption key, that certificate (use="encryption"), so the IdP can encrypt to it.
 */
export function samlSpMetadataXml(connection: SsoConnectionRow): string {
  const sp = samlServiceProvider(connection, { advertiseSignedAssertions: true, sign: true, decrypt: true });
  return sp.generateServiceProviderMetadata(spCertificatePem(connection, "encryption"), connection.signAuthnRequests ? spCertificatePem(connection, "signing") : null);
}
