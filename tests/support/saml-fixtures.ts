import { runCommand } from "@/lib/core/command";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { createSamlConnection } from "@/lib/sso/saml/create-saml-connection";
import { completeSamlSignInCommand } from "@/lib/sso/saml/complete-saml-sign-in";
import { makeOrg, meta } from "./factories";
import type { SamlResponseOptions, SamlTestIdp, SamlTestUser } from "./saml-test-idp";
import { requestMeta } from "./sign-in-helpers";
import { startFlow } from "./sso-fixtures";

/** An org with a SAML connection imported from the test IdP's metadata, owning `<slug>.test` for it. */
export async function orgWithSaml(
  idp: SamlTestIdp,
  { allowIdpInitiated = false, withNextCertificate = false, mfaPolicy = "local" as "idp" | "local", wantSignedRequests = false, signAuthnRequests = undefined as boolean | undefined, requireEncryptedAssertions = false } = {},
) {
  const org = await makeOrg("SAML Org");
  const connection = await createSamlConnection(org.operator, meta, { metadataXml: idp.metadataXml(withNextCertificate, wantSignedRequests), allowIdpInitiated, mfaPolicy, signAuthnRequests, requireEncryptedAssertions });
  const domain = `${org.slug}.test`;
  await runCommand(addDomainCommand, org.operator, meta, { connectionId: connection.id, domain, verifiedByOperator: true });
  return { org, connection, domain };
}

/** Posts a response to the ACS, as the browser does after the IdP's page. */
export function postToAcs(connectionId: string, posted: { SAMLResponse: string; RelayState: string | null }) {
  return runCommand(completeSamlSignInCommand, anonymousPrincipal(), requestMeta("127.0.0.9"), { connectionId, samlResponse: posted.SAMLResponse, relayState: posted.RelayState });
}

/** Starts a flow at our end, and has the IdP answer that AuthnRequest (with `overrides` changing one thing). */
export async function samlResponseFor(idp: SamlTestIdp, connection: { id: string; acsUrl: string; entityId: string }, user: SamlTestUser, overrides: Partial<SamlResponseOptions> = {}) {
  const request = idp.readRequest(await startFlow({ connectionId: connection.id }));
  return { request, posted: idp.respond(user, { acsUrl: request.acsUrl, audience: request.issuer, inResponseTo: request.id, relayState: request.relayState, ...overrides }) };
}

/** A whole SP-initiated sign-in. */
export async function samlSignIn(idp: SamlTestIdp, connection: { id: string; acsUrl: string; entityId: string }, user: SamlTestUser, overrides: Partial<SamlResponseOptions> = {}) {
  const { posted } = await samlResponseFor(idp, connection, user, overrides);
  return postToAcs(connection.id, posted);
}
