import { randomUUID } from "node:crypto";
import { ssoConnections } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { sealSecret } from "@/lib/mfa/secret-box";
import { assertMayHandOut } from "./add-mapping";
import { oidcRedirectUri, samlAcsUrl, samlEntityId } from "./connection-urls";
import { defaultClaimMapping } from "./presets";
import { assertSigningMayBeOff } from "./saml/saml-options";
import { makeSpKeys } from "./saml/sp-keys";
import { createConnectionSchema } from "./schemas";

/**
 * Adds an SSO connection to the org. The OIDC client secret is sealed (AES-256-GCM, bound to the
 * connection's id) before it reaches the database, and never appears in the result or the
 * audit event; a SAML connection gets its own signing and encryption key pairs, sealed the same
 * way (saml/sp-keys.ts). A configuration change to sign-in: sso:manage, with an MFA step-up.
 */
export const createConnectionCommand = defineCommand({
  name: "sso.connection.created",
  description: "An SSO connection (OIDC or SAML) was added to the organization; the metadata names its protocol, preset and issuer, never the client secret.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: createConnectionSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const id = randomUUID();
    if (input.defaultBranchId && !input.defaultRoleId) throw new ValidationError({ defaultRoleId: ["a default branch needs a default role"] });
    if (input.defaultRoleId) await assertMayHandOut(tx, principal.access, orgId, input.defaultRoleId, input.defaultBranchId);
    const claimMapping = { ...defaultClaimMapping(input.preset), ...input.claimMapping };
    const signAuthnRequests = input.protocol === "saml" && assertSigningMayBeOff(input.signAuthnRequests ?? input.idpWantsSignedRequests, input.idpWantsSignedRequests);
    const values =
      input.protocol === "oidc"
        ? { issuer: input.issuer, clientId: input.clientId, clientSecretSealed: sealSecret(input.clientSecret, id), scopes: input.scopes ?? "openid email profile" }
        : {
            idpEntityId: input.idpEntityId,
            idpSsoUrl: input.idpSsoUrl,
            idpCertificates: input.idpCertificates,
            allowIdpInitiated: input.allowIdpInitiated,
            signAuthnRequests,
            idpWantsSignedRequests: input.idpWantsSignedRequests,
            requireEncryptedAssertions: input.requireEncryptedAssertions,
            // Made now, whatever the options, so turning signing or encryption on later needs no new metadata exchange for the key.
            ...(await makeSpKeys(id)),
          };
    await tx.insert(ssoConnections).values({ id, orgId, protocol: input.protocol, preset: input.preset, name: input.name, mfaPolicy: input.mfaPolicy, claimMapping, defaultRoleId: input.defaultRoleId, defaultBranchId: input.defaultBranchId, ...values });
    const endpoints = input.protocol === "oidc" ? { redirectUri: oidcRedirectUri() } : { acsUrl: samlAcsUrl(id), entityId: samlEntityId(id) };
    return {
      result: { id, protocol: input.protocol, preset: input.preset, name: input.name, ...endpoints },
      target: { type: "sso_connection", id },
      metadata: {
        after: {
          protocol: input.protocol,
          preset: input.preset,
          name: input.name,
          issuer: input.protocol === "oidc" ? input.issuer : input.idpEntityId,
          mfaPolicy: input.mfaPolicy,
          ...(input.protocol === "saml" ? { allowIdpInitiated: input.allowIdpInitiated, certificates: input.idpCertificates.length, signAuthnRequests, requireEncryptedAssertions: input.requireEncryptedAssertions } : {}),
        },
      },
    };
  },
});
