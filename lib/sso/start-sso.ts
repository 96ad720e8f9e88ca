import { and, eq, sql } from "drizzle-orm";
import * as client from "openid-client";
import { z } from "zod";
import { ssoConnections, ssoFlows } from "@/db/schema";
import { safeRedirectPath } from "@/lib/core/action-result";
import { defineCommand, notFound } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { generateSecret, hashSecret } from "@/lib/identity/secrets";
import { oidcRedirectUri } from "./connection-urls";
import type { SsoConnectionRow } from "./load-connection";
import { oidcConfigFor } from "./oidc/oidc-config";

/** How long a person may take at their IdP before the flow's state, nonce and verifier lapse. */
const FLOW_SECONDS = 10 * 60;

const startSchema = z.object({
  connectionId: z.uuid({ message: "must be a connection id" }),
  returnTo: z.string().max(2000).nullish(),
});

/**
 * Opens a flow at a connection's IdP: a fresh state (stored only as its SHA-256), nonce and PKCE
 * verifier (S256), and returns the IdP's authorization URL. Filed under the connection's org, so
 * anonymous starts never hold the global chain.
 */
export const startSsoCommand = defineCommand({
  name: "auth.sso.started",
  description: "Someone was sent to an organization's IdP through one of its SSO connections (a flow with fresh state, nonce and PKCE was opened).",
  access: "public",
  input: startSchema,
  async run({ tx }, input) {
    const [connection] = await tx.select().from(ssoConnections).where(and(eq(ssoConnections.id, input.connectionId), eq(ssoConnections.enabled, true)));
    if (!connection) notFound("Connection");
    const started = await openFlow(tx, connection, "sign-in", input.returnTo ? safeRedirectPath(input.returnTo) : null);
    return { result: started, orgId: connection.orgId, target: { type: "sso_connection", id: connection.id }, metadata: { protocol: connection.protocol, purpose: "sign-in" } };
  },
});

/** "Test connection": the same flow, marked so the callback shows the claims and signs nobody in. */
export const testConnectionCommand = defineCommand({
  name: "sso.connection.test_started",
  description: "An administrator started a test of an SSO connection: the flow runs at the IdP and shows the claims received, without signing anyone in.",
  access: { permission: "sso:manage" },
  input: startSchema.pick({ connectionId: true }),
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const [connection] = await tx.select().from(ssoConnections).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, input.connectionId)));
    if (!connection) notFound("Connection");
    const started = await openFlow(tx, connection, "test", null);
    return { result: started, target: { type: "sso_connection", id: connection.id }, metadata: { protocol: connection.protocol, purpose: "test" } };
  },
});

async function openFlow(tx: CommandTx, connection: SsoConnectionRow, purpose: "sign-in" | "test", returnTo: string | null): Promise<{ redirectUrl: string; flowId: string }> {
  if (connection.protocol !== "oidc") throw new Error("SAML flows are not built yet (see docs/adr/0014-enterprise-sso.md).");
  const { config } = await oidcConfigFor(connection);
  const state = generateSecret();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  const [flow] = await tx
    .insert(ssoFlows)
    .values({ orgId: connection.orgId, connectionId: connection.id, stateHash: hashSecret(state), nonce, codeVerifier, purpose, returnTo, expiresAt: sql`now() + make_interval(secs => ${FLOW_SECONDS})` })
    .returning({ id: ssoFlows.id });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: oidcRedirectUri(),
    scope: connection.scopes,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    // "Test connection" asks the IdP to show its login even when a session exists there.
    ...(purpose === "test" ? { prompt: "login" } : {}),
  });
  return { redirectUrl: url.href, flowId: flow!.id };
}
