import { and, eq, isNotNull, sql } from "drizzle-orm";
import * as client from "openid-client";
import { z } from "zod";
import { organizations, ssoConnections, ssoDomainOwners, ssoDomains, ssoFlows } from "@/db/schema";
import { safeRedirectPath } from "@/lib/core/action-result";
import { defineCommand, notFound, type CommandOutcome } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { emailDomain } from "@/lib/identity/email-domain";
import { generateSecret, hashSecret } from "@/lib/identity/secrets";
import { oidcRedirectUri } from "./connection-urls";
import type { SsoConnectionRow } from "./load-connection";
import { oidcConfigFor } from "./oidc/oidc-config";
import { buildSamlAuthnRequest } from "./saml/saml-authn-request";

/** How long a person may take at their IdP before the flow's state, nonce and verifier lapse. */
const FLOW_SECONDS = 10 * 60;

const startSchema = z
  .object({
    connectionId: z.uuid({ message: "must be a connection id" }).optional(),
    // Home-realm discovery: the person's email (its verified domain) or their org's slug.
    email: z.string().trim().toLowerCase().max(320).regex(/^[^@\s]+@[^@\s]+$/, "must be an email address").optional(),
    orgSlug: z.string().trim().toLowerCase().max(100).optional(),
    returnTo: z.string().max(2000).nullish(),
  })
  .refine((v) => [v.connectionId, v.email, v.orgSlug].filter(Boolean).length === 1, { message: "give exactly one of connectionId, email or orgSlug", path: ["connectionId"] });

export type StartSsoResult = { redirectUrl: string; flowId: string } | { choose: Array<{ id: string; name: string }> };

/** The enabled connections the person may be sent to: one named, those of their domain, or their org's. */
async function candidates(tx: CommandTx, input: z.output<typeof startSchema>): Promise<SsoConnectionRow[]> {
  const enabled = eq(ssoConnections.enabled, true);
  if (input.connectionId) return tx.select().from(ssoConnections).where(and(eq(ssoConnections.id, input.connectionId), enabled));
  if (input.orgSlug) return tx.select({ c: ssoConnections }).from(ssoConnections).innerJoin(organizations, eq(organizations.id, ssoConnections.orgId)).where(and(eq(organizations.slug, input.orgSlug), enabled)).orderBy(ssoConnections.name, ssoConnections.id).then((rows) => rows.map((r) => r.c));
  const domain = emailDomain(input.email!);
  // Only a verified domain routes, and only to connections of the org that owns it.
  const rows = await tx
    .select({ c: ssoConnections })
    .from(ssoDomains)
    .innerJoin(ssoDomainOwners, and(eq(ssoDomainOwners.domain, ssoDomains.domain), eq(ssoDomainOwners.orgId, ssoDomains.orgId)))
    .innerJoin(ssoConnections, eq(ssoConnections.id, ssoDomains.connectionId))
    .where(and(eq(ssoDomains.domain, domain), isNotNull(ssoDomains.verifiedAt), enabled))
    .orderBy(ssoConnections.name, ssoConnections.id);
  return rows.map((r) => r.c);
}

/**
 * Home-realm discovery and the start of a flow. Given a connection, an email (its verified
 * domain) or an org slug, it finds the enabled connections; several answer a chooser. One opens a flow at its IdP: a fresh state (stored only as its SHA-256), and for OIDC a nonce and PKCE
 * verifier (S256), for SAML an AuthnRequest id (saml/saml-authn-request.ts), and returns the IdP's URL. Filed under the connection's org, so
 * anonymous starts never hold the global chain.
 */
export const startSsoCommand = defineCommand({
  name: "auth.sso.started",
  description: "Someone was sent to an organization's IdP through one of its SSO connections: a flow was opened (OIDC: fresh state, nonce and PKCE; SAML: an AuthnRequest whose id is kept for InResponseTo, the state as RelayState).",
  access: "public",
  input: startSchema,
  async run({ tx }, input): Promise<CommandOutcome<StartSsoResult>> {
    const found = await candidates(tx, input);
    if (found.length === 0) notFound(input.email ? "Single sign-on for that email domain" : "Connection");
    if (found.length > 1) {
      // A chooser: nothing is opened until the person picks one (the pick starts by connectionId).
      return { result: { choose: found.map((c) => ({ id: c.id, name: c.name })) }, orgId: found[0]!.orgId, metadata: { chooser: found.length, by: input.email ? "email" : "org" } };
    }
    const connection = found[0]!;
    const started = await openFlow(tx, connection, "sign-in", input.returnTo ? safeRedirectPath(input.returnTo) : null);
    return { result: started, orgId: connection.orgId, target: { type: "sso_connection", id: connection.id }, metadata: { protocol: connection.protocol, purpose: "sign-in", by: input.connectionId ? "connection" : input.email ? "email" : "org" } };
  },
});

/** "Test connection": the same flow, marked so the callback shows the claims and signs nobody in. */
export const testConnectionCommand = defineCommand({
  name: "sso.connection.test_started",
  description: "An administrator started a test of an SSO connection: the flow runs at the IdP and shows the claims received, without signing anyone in.",
  access: { permission: "sso:manage" },
  input: z.object({ connectionId: z.uuid({ message: "must be a connection id" }) }),
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const [connection] = await tx.select().from(ssoConnections).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, input.connectionId)));
    if (!connection) notFound("Connection");
    const started = await openFlow(tx, connection, "test", null);
    return { result: started, target: { type: "sso_connection", id: connection.id }, metadata: { protocol: connection.protocol, purpose: "test" } };
  },
});

export type FlowPurpose = "sign-in" | "test" | "link";

/** Opens a flow at the connection's IdP; a `link` flow names the signed-in person it links (start-identity-link.ts). */
export async function openFlow(tx: CommandTx, connection: SsoConnectionRow, purpose: FlowPurpose, returnTo: string | null, linkUserId: string | null = null): Promise<{ redirectUrl: string; flowId: string }> {
  if (connection.protocol === "saml") return openSamlFlow(tx, connection, purpose, returnTo, linkUserId);
  const { config } = await oidcConfigFor(connection);
  const state = generateSecret();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const [flow] = await tx
    .insert(ssoFlows)
    .values({ orgId: connection.orgId, connectionId: connection.id, stateHash: hashSecret(state), nonce, codeVerifier, purpose, returnTo, linkUserId, expiresAt: sql`now() + make_interval(secs => ${FLOW_SECONDS})` })
    .returning({ id: ssoFlows.id });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(),
    scope: connection.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    // "Test connection" and linking ask the IdP to show its login even when a session exists
    // there: the identity linked is the one the person signs in as now, not a lingering one.
    ...(purpose !== "sign-in" ? { prompt: "login" } : {}),
  });
  return { redirectUrl: url.href, flowId: flow!.id };
}

/** A SAML flow: the state travels as RelayState (stored hashed), the AuthnRequest id is kept for InResponseTo. */
async function openSamlFlow(tx: CommandTx, connection: SsoConnectionRow, purpose: FlowPurpose, returnTo: string | null, linkUserId: string | null): Promise<{ redirectUrl: string; flowId: string }> {
  const state = generateSecret();
  const { url, requestId } = await buildSamlAuthnRequest(connection, state, purpose);
  const [flow] = await tx
    .insert(ssoFlows)
    .values({ orgId: connection.orgId, connectionId: connection.id, stateHash: hashSecret(state), requestId, purpose, returnTo, linkUserId, expiresAt: sql`now() + make_interval(secs => ${FLOW_SECONDS})` })
    .returning({ id: ssoFlows.id });
  return { redirectUrl: url, flowId: flow!.id };
}
