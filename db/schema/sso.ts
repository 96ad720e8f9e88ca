import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { grants, roles } from "./access";
import { branches, organizations } from "./organizations";
import { users } from "./identity";

/**
 * An org's connection to its identity provider (docs/adr/0014-enterprise-sso.md). One org may
 * have several; each is OIDC (by discovery from `issuer`) or SAML 2.0 (IdP entity id, SSO URL
 * and certificates, imported from metadata). The OIDC client secret is sealed with AES-256-GCM
 * (lib/mfa/secret-box.ts) bound to the connection's id, never stored or returned in clear.
 */
export const ssoConnections = pgTable(
  "sso_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    protocol: text("protocol").notNull(),
    // generic | okta | entra: how subjects and groups are read (Entra: tid + oid, overage claim).
    preset: text("preset").notNull().default("generic"),
    name: text("name").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    // OIDC
    issuer: text("issuer"),
    clientId: text("client_id"),
    clientSecretSealed: text("client_secret_sealed"),
    scopes: text("scopes").notNull().default("openid email profile"),
    // Which claims carry the email, the name and the groups (defaults per preset).
    claimMapping: jsonb("claim_mapping").$type<{ email?: string; name?: string; groups?: string }>().notNull().default({}),
    // SAML
    idpEntityId: text("idp_entity_id"),
    idpSsoUrl: text("idp_sso_url"),
    // Several at once, so an IdP can rotate its signing certificate without an outage.
    idpCertificates: text("idp_certificates").array().notNull().default(sql`'{}'::text[]`),
    allowIdpInitiated: boolean("allow_idp_initiated").notNull().default(false),
    // Our own SP key pairs (docs/adr/0021, "SP keys"): made when the connection is created, the
    // private keys sealed like the OIDC client secret (bound to the connection id and the key's
    // use), the certificates (base64 DER, self-signed) published in the SP metadata.
    spSigningKeySealed: text("sp_signing_key_sealed"),
    spSigningCertificate: text("sp_signing_certificate"),
    spEncryptionKeySealed: text("sp_encryption_key_sealed"),
    spEncryptionCertificate: text("sp_encryption_certificate"),
    // Sign AuthnRequests (default on when the IdP's metadata says WantAuthnRequestsSigned, which
    // idp_wants_signed_requests remembers, so signing cannot be turned off under such an IdP).
    signAuthnRequests: boolean("sign_authn_requests").notNull().default(false),
    idpWantsSignedRequests: boolean("idp_wants_signed_requests").notNull().default(false),
    // Refuse a response whose assertion is not encrypted to our encryption key.
    requireEncryptedAssertions: boolean("require_encrypted_assertions").notNull().default(false),
    // MFA for people signing in here: "idp" trusts the IdP's amr/acr, "local" asks our own factor.
    mfaPolicy: text("mfa_policy").notNull().default("local"),
    // Someone no mapping rule matches gets this role at this branch; without it they are refused.
    defaultRoleId: uuid("default_role_id").references(() => roles.id, { onDelete: "set null" }),
    defaultBranchId: uuid("default_branch_id").references(() => branches.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sso_connections_org_idx").on(t.orgId),
    check("sso_connections_protocol", sql`${t.protocol} in ('oidc', 'saml')`),
    check("sso_connections_preset", sql`${t.preset} in ('generic', 'okta', 'entra')`),
    check("sso_connections_mfa_policy", sql`${t.mfaPolicy} in ('idp', 'local')`),
  ],
);

/**
 * An email domain an org claims for a connection. It counts only once verified, by a DNS TXT
 * record holding `verification_token` or by the operator's audited override; a verified domain
 * makes the org the owner of the accounts at that domain (lib/identity/account-ownership.ts).
 * At most one org holds a domain verified.
 */
export const ssoDomains = pgTable(
  "sso_domains",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    // The connection that people at this domain are sent to; null for a domain the org owns
    // without routing it anywhere yet (or whose connection was deleted: ownership stays).
    connectionId: uuid("connection_id").references(() => ssoConnections.id, { onDelete: "set null" }),
    // Lower-case, no trailing dot.
    domain: text("domain").notNull(),
    verificationToken: text("verification_token").notNull(),
    verifiedAt: timestamp("verified_at", { withTimezone: true }),
    verifiedBy: text("verified_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sso_domains_connection_domain_uq").on(t.connectionId, t.domain),
    index("sso_domains_domain_idx").on(t.domain),
    check("sso_domains_verified_by", sql`${t.verifiedBy} is null or ${t.verifiedBy} in ('dns', 'operator')`),
  ],
);

/** The org that has verified a domain owns it: one org per domain (several connections of that org may claim it). */
export const ssoDomainOwners = pgTable("sso_domain_owners", {
  domain: text("domain").primaryKey(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  verifiedAt: timestamp("verified_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Who a person is at an IdP: (connection, subject), never an email. For Entra the subject is
 * `tid:oid`. A person may have several (one per connection).
 */
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => ssoConnections.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("sso_identities_subject_uq").on(t.connectionId, t.subject), index("sso_identities_user_idx").on(t.userId)],
);

/**
 * One sign-in under way: the state (stored hashed), nonce and PKCE verifier of an OIDC flow, or
 * the AuthnRequest id a SAML response must answer (InResponseTo). Used once (`used_at`, set by a
 * conditional UPDATE), and short-lived.
 */
export const ssoFlows = pgTable(
  "sso_flows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => ssoConnections.id, { onDelete: "cascade" }),
    stateHash: text("state_hash").notNull().unique(),
    nonce: text("nonce"),
    codeVerifier: text("code_verifier"),
    requestId: text("request_id"),
    // sign-in | test ("test connection": show the claims, sign nobody in) | link (a signed-in
    // person links their own account to the identity the IdP answers: link_user_id)
    purpose: text("purpose").notNull().default("sign-in"),
    linkUserId: uuid("link_user_id").references(() => users.id, { onDelete: "cascade" }),
    // A link flow's two halves: the IdP's verified subject, recorded by the callback, and the
    // moment the person's own session confirmed it (the callback alone is not bound to a session).
    linkSubject: text("link_subject"),
    linkConfirmedAt: timestamp("link_confirmed_at", { withTimezone: true }),
    returnTo: text("return_to"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    check("sso_flows_purpose", sql`${t.purpose} in ('sign-in', 'test', 'link')`),
    check("sso_flows_link_user", sql`(${t.purpose} = 'link') = (${t.linkUserId} is not null)`),
  ],
);

/** SAML assertion ids seen, kept until the assertion expires, so none is accepted twice. */
export const ssoAssertionIds = pgTable(
  "sso_assertion_ids",
  {
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => ssoConnections.id, { onDelete: "cascade" }),
    assertionId: text("assertion_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.assertionId] }), index("sso_assertion_ids_expires_idx").on(t.expiresAt)],
);

/**
 * A mapping rule: people whose claim `claim` holds `value` get `role` at `branch` (null = org
 * root). Re-applied at every sign-in; the grants a rule made are listed in sso_mapped_grants, so
 * only those are added and removed, never a grant given by hand.
 */
export const ssoMappings = pgTable(
  "sso_mappings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
    connectionId: uuid("connection_id").notNull().references(() => ssoConnections.id, { onDelete: "cascade" }),
    claim: text("claim").notNull(),
    value: text("value").notNull(),
    roleId: uuid("role_id").notNull().references(() => roles.id, { onDelete: "cascade" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sso_mappings_connection_idx").on(t.connectionId)],
);

/** The grants that SSO mapping made (rule or connection default), so a later sign-in may remove them. */
export const ssoMappedGrants = pgTable("sso_mapped_grants", {
  grantId: uuid("grant_id").primaryKey().references(() => grants.id, { onDelete: "cascade" }),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  connectionId: uuid("connection_id").notNull().references(() => ssoConnections.id, { onDelete: "cascade" }),
});

/** Per org: password sign-in refused for the accounts it owns, except the break-glass members. */
export const ssoPolicies = pgTable("sso_policies", {
  orgId: uuid("org_id").primaryKey().references(() => organizations.id, { onDelete: "cascade" }),
  requireSso: boolean("require_sso").notNull().default(false),
  breakGlassUserIds: uuid("break_glass_user_ids").array().notNull().default(sql`'{}'::uuid[]`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
