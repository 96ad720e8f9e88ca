import { and, eq } from "drizzle-orm";
import { ssoConnections } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { sealSecret } from "@/lib/mfa/secret-box";
import { assertMayHandOut } from "./add-mapping";
import { updateConnectionSchema } from "./admin-schemas";
import { assertSigningMayBeOff } from "./saml/saml-options";
import { makeSpKeys } from "./saml/sp-keys";

/**
 * Changes what an admin may change on a connection: its name, whether it is enabled, the scopes
 * asked for, the MFA policy, the default role at a branch, IdP-initiated sign-in (SAML only) and
 * signed AuthnRequests and required assertion encryption (SAML only; signing stays on under an IdP
 * whose metadata wants it), a rotated client secret (sealed again, bound to the connection's id; never read back). The
 * issuer and client id stay: a new IdP is a new connection, so identities never change hands.
 */
export const updateConnectionCommand = defineCommand({
  name: "sso.connection.updated",
  description: "An SSO connection's settings changed (name, enabled, scopes, MFA policy, default role, IdP-initiated sign-in, signed AuthnRequests, required assertion encryption, or a rotated client secret); the metadata has before and after, never the secret.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: updateConnectionSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const [row] = await tx.select().from(ssoConnections).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, input.connectionId))).for("update");
    if (!row) notFound("Connection");
    if (input.allowIdpInitiated !== undefined && row.protocol !== "saml") throw new ValidationError({ allowIdpInitiated: ["applies to SAML connections only: OIDC sign-in always starts here"] });
    for (const field of ["signAuthnRequests", "requireEncryptedAssertions"] as const) {
      if (input[field] !== undefined && row.protocol !== "saml") throw new ValidationError({ [field]: ["applies to SAML connections only"] });
    }
    const signAuthnRequests = assertSigningMayBeOff(input.signAuthnRequests ?? row.signAuthnRequests, row.idpWantsSignedRequests);
    const requireEncryptedAssertions = input.requireEncryptedAssertions ?? row.requireEncryptedAssertions;
    // A connection made before SP keys existed gets its pair when an option first needs it.
    const newKeys = (signAuthnRequests || requireEncryptedAssertions) && !row.spSigningKeySealed ? await makeSpKeys(row.id) : null;
    if ((input.scopes !== undefined || input.clientSecret !== undefined) && row.protocol !== "oidc") throw new ValidationError({ [input.scopes !== undefined ? "scopes" : "clientSecret"]: ["applies to OIDC connections only"] });
    const defaultRoleId = input.defaultRoleId === undefined ? row.defaultRoleId : input.defaultRoleId;
    const defaultBranchId = input.defaultBranchId === undefined ? (input.defaultRoleId === null ? null : row.defaultBranchId) : input.defaultBranchId;
    if (defaultBranchId && !defaultRoleId) throw new ValidationError({ defaultRoleId: ["a default branch needs a default role"] });
    // The default hands out a grant to everyone no rule matches: its author must be able to make it.
    const defaultChanged = defaultRoleId !== row.defaultRoleId || defaultBranchId !== row.defaultBranchId;
    if (defaultChanged && defaultRoleId) await assertMayHandOut(tx, principal.access, orgId, defaultRoleId, defaultBranchId);
    const next = {
      name: input.name ?? row.name,
      enabled: input.enabled ?? row.enabled,
      scopes: input.scopes ?? row.scopes,
      mfaPolicy: input.mfaPolicy ?? row.mfaPolicy,
      allowIdpInitiated: input.allowIdpInitiated ?? row.allowIdpInitiated,
      signAuthnRequests,
      requireEncryptedAssertions,
      defaultRoleId,
      defaultBranchId,
    };
    await tx
      .update(ssoConnections)
      .set({ ...next, ...newKeys, ...(input.clientSecret !== undefined ? { clientSecretSealed: sealSecret(input.clientSecret, row.id) } : {}) })
      .where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, row.id)));
    const before = { name: row.name, enabled: row.enabled, scopes: row.scopes, mfaPolicy: row.mfaPolicy, allowIdpInitiated: row.allowIdpInitiated, signAuthnRequests: row.signAuthnRequests, requireEncryptedAssertions: row.requireEncryptedAssertions, defaultRoleId: row.defaultRoleId, defaultBranchId: row.defaultBranchId };
    return {
      result: { id: row.id },
      target: { type: "sso_connection", id: row.id, label: next.name },
      metadata: { before, after: next, ...(input.clientSecret !== undefined ? { clientSecretRotated: true } : {}) },
    };
  },
});
