import { and, eq } from "drizzle-orm";
import { roles } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { addDomainCommand } from "@/lib/sso/add-domain";
import { addMappingCommand } from "@/lib/sso/add-mapping";
import { oidcRedirectUri } from "@/lib/sso/connection-urls";
import { createConnectionCommand } from "@/lib/sso/create-connection";
import { completeOidcSignInCommand } from "@/lib/sso/oidc/complete-oidc-sign-in";
import { startSsoCommand } from "@/lib/sso/start-sso";
import { asOperator } from "./as-operator";
import { makeOrg, meta } from "./factories";
import { followToCallback, type TestIdpUser } from "./oidc-test-idp";
import { requestMeta } from "./sign-in-helpers";

/** SSO tests run against IdPs on plain-http loopback, behind the setting meant for tests. */
export function allowLoopbackIdps(): void {
  process.env.SSO_ALLOW_INSECURE_HTTP = "1";
  process.env.APP_URL = "http://localhost:3999";
}

export async function roleId(orgId: string, name: string): Promise<string> {
  const [row] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, name))));
  return row!.id;
}

/** An org with an OIDC connection to `idp`, owning `domain` (operator override) for it. */
export async function orgWithOidc(idp: { issuer: string; clientId: string; clientSecret: string }, { preset = "generic" as "generic" | "okta" | "entra", mfaPolicy = "local" as "idp" | "local", domain = "" } = {}) {
  const org = await makeOrg("SSO Org");
  const connection = await runCommand(createConnectionCommand, org.operator, meta, { protocol: "oidc", preset, issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, mfaPolicy });
  const ownDomain = domain || `${org.slug}.test`;
  await runCommand(addDomainCommand, org.operator, meta, { connectionId: connection.id, domain: ownDomain, verifiedByOperator: true });
  return { org, connection, domain: ownDomain };
}

export async function addRule(operator: Principal, connectionId: string, claim: string, value: string, role: string, branchId: string | null = null) {
  return runCommand(addMappingCommand, operator, meta, { connectionId, claim, value, roleId: await roleId(operator.org!.id, role), branchId });
}

/** Starts a flow (by connection, or home-realm discovery by email or org) and returns the IdP's URL. */
export async function startFlow(input: { connectionId?: string; email?: string; orgSlug?: string }): Promise<string> {
  const started = await runCommand(startSsoCommand, anonymousPrincipal(), requestMeta(), input);
  if (!("redirectUrl" in started)) throw new Error(`expected one connection, got a chooser of ${started.choose.length}`);
  return started.redirectUrl;
}

/** Starts a flow at our end and walks through the IdP; returns the callback's query string. */
export async function throughIdp(idp: { nextLogin: TestIdpUser | null }, connectionId: string, user: TestIdpUser): Promise<string> {
  idp.nextLogin = user;
  return followToCallback(await startFlow({ connectionId }), oidcRedirectUri());
}

export function completeCallback(search: string) {
  return runCommand(completeOidcSignInCommand, anonymousPrincipal(), requestMeta("127.0.0.9"), { search });
}

/** A whole sign-in through the IdP. */
export async function ssoSignIn(idp: { nextLogin: TestIdpUser | null }, connectionId: string, user: TestIdpUser) {
  return completeCallback(await throughIdp(idp, connectionId, user));
}
