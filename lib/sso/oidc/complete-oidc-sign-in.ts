import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { jwtVerify } from "jose";
import * as client from "openid-client";
import { z } from "zod";
import { sessions, ssoConnections, ssoFlows } from "@/db/schema";
import { loadAccess } from "@/lib/access/load-access";
import { defineCommand, type CommandOutcome } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { hasSecondFactorSql, isMfaDueIn, mfaRequiredSql } from "@/lib/identity/mfa-policy";
import type { PendingSignIn } from "@/lib/identity/resolve-session";
import { generateSecret, hashSecret } from "@/lib/identity/secrets";
import { pendingSignInSeconds, sessionMaxAgeSeconds } from "@/lib/identity/session-policy";
import { applySsoMember } from "../apply-sso-member";
import { recordLinkAnswer, type LinkAnswer } from "../complete-identity-link";
import { oidcRedirectUri } from "../connection-urls";
import { planSsoMember } from "../plan-sso-member";
import type { Preset } from "../presets";
import { auditableClaims, idpAssertedMfa, readSsoProfile, ssoRefusal, type SsoProfile } from "../read-sso-claims";
import { ID_TOKEN_ALGORITHMS, oidcConfigFor } from "./oidc-config";

const callbackSchema = z.object({
  // The query string the IdP sent back to /sso/oidc/callback (code, state, iss or error).
  search: z.string().max(8000),
});

export type SsoCallbackResult =
  | { purpose: "sign-in"; userId: string; email: string; name: string; orgSlug: string; sessionToken: string; pending: PendingSignIn | null; returnTo: string | null }
  | { purpose: "test"; connectionId: string; orgSlug: string; claims: Record<string, unknown>; subject: string }
  | LinkAnswer;

/**
 * The OIDC callback. The flow is used up first (state matched by its hash, once, unexpired), and
 * stays used whatever follows, so a refused state or code cannot be tried again. Then
 * openid-client checks everything the checklist names: state, PKCE, the ID token's signature
 * (never `alg: none`), `iss`, `aud`, `exp`, `iat`, `nonce`, and a UserInfo `sub` equal to the ID
 * token's. Only then is the person found or provisioned (plan-sso-member.ts) and the same
 * database session opened as password sign-in opens (sign-in.ts).
 */
export const completeOidcSignInCommand = defineCommand({
  name: "auth.sso.succeeded",
  description: "Someone signed in through an SSO connection (or an administrator's test of it, `purpose: test`, which signs nobody in; or the IdP's answer to a person linking their own account, `purpose: link`, recorded for their confirmation). The metadata names the connection, the subject and the claims received (never a token), whether the user, identity or membership was created just in time, the grants the mapping rules added and removed, and `pending`. Every refusal (bad state, a token openid-client rejects, a UserInfo `sub` that differs, an unverified domain, an existing account that must be linked, a deactivated member, no mapping rule) records `auth.sso.failed` with its reason instead.",
  deniedAction: "auth.sso.failed",
  access: "public",
  input: callbackSchema,
  async run({ tx, meta }, input): Promise<CommandOutcome<SsoCallbackResult>> {
    const params = new URLSearchParams(input.search);
    const state = params.get("state");
    if (!state) throw ssoRefusal("state-missing");
    const [flow] = await tx
      .update(ssoFlows)
      .set({ usedAt: sql`now()` })
      .where(and(eq(ssoFlows.stateHash, hashSecret(state)), isNull(ssoFlows.usedAt), gt(ssoFlows.expiresAt, sql`now()`)))
      .returning();
    if (!flow) throw ssoRefusal("state-invalid");
    // Both follow from the flow and not from each other: one round trip.
    const [[connection], [org]] = await Promise.all([
      tx.select().from(ssoConnections).where(and(eq(ssoConnections.id, flow.connectionId), eq(ssoConnections.protocol, "oidc"))),
      tx.execute<{ slug: string }>(sql`select slug from organizations where id = ${flow.orgId}`),
    ]);
    // From here on a refusal commits with the flow used up (the wrapper records it beside it).
    const refuse = (reason: string, detail: Record<string, unknown> = {}) => {
      const error = ssoRefusal(reason, { connectionId: flow.connectionId, ...detail });
      error.commitsWithRefusal = true;
      return error;
    };
    if (!connection || (!connection.enabled && flow.purpose !== "test")) throw refuse("connection-disabled");

    let claims: Record<string, unknown>;
    try {
      const { config, keys } = await oidcConfigFor(connection);
      const currentUrl = new URL(oidcRedirectUri());
      currentUrl.search = params.toString();
      const tokens = await client.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: flow.codeVerifier!, expectedState: state, expectedNonce: flow.nonce!, idTokenExpected: true }, { redirect_uri: oidcRedirectUri() });
      const idClaims = tokens.claims()!;
      // The signature, against the IdP's current keys (oidc-config.ts says why not openid-client's).
      await jwtVerify(tokens.id_token!, keys, { algorithms: ID_TOKEN_ALGORITHMS, issuer: connection.issuer!, audience: connection.clientId! });
      claims = { ...idClaims };
      if (config.serverMetadata().userinfo_endpoint) {
        // A UserInfo answer about someone else (another `sub`) is refused by openid-client.
        const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      }
    } catch (error) {
      throw refuse("token-rejected", { error: describeOidcError(error) });
    }

    let profile: SsoProfile;
    try {
      profile = readSsoProfile(connection.preset as Preset, connection.claimMapping, claims);
    } catch (error) {
      if (error instanceof Error && "auditDetail" in error) throw refuse(String((error as { auditDetail: { reason: string } }).auditDetail.reason), { claims: auditableClaims(claims) });
      throw error;
    }
    const received = auditableClaims(claims);
    if (flow.purpose === "test") {
      return {
        result: { purpose: "test", connectionId: connection.id, orgSlug: org!.slug, claims: received, subject: profile.subject } satisfies SsoCallbackResult,
        orgId: connection.orgId,
        target: { type: "sso_connection", id: connection.id },
        metadata: { purpose: "test", connectionId: connection.id, subject: profile.subject, claims: received },
      };
    }
    if (flow.purpose === "link") {
      await recordLinkAnswer(tx, flow, connection, profile, refuse);
      return {
        result: { purpose: "link", flowId: flow.id, orgSlug: org!.slug } satisfies SsoCallbackResult,
        orgId: connection.orgId,
        target: { type: "user", id: flow.linkUserId! },
        metadata: { purpose: "link", protocol: "oidc", connectionId: connection.id, subject: profile.subject, claims: received },
      };
    }

    const plan = await planSsoMember(tx, connection, profile).catch((error: unknown) => {
      if (error instanceof Error && "auditDetail" in error) throw refuse(String((error as { auditDetail: { reason: string } }).auditDetail.reason), { ...(error as { auditDetail: Record<string, unknown> }).auditDetail, claims: received });
      throw error;
    });
    const member = await applySsoMember(tx, connection, profile.subject, plan);
    const session = await openSsoSession(tx, connection.mfaPolicy, member, profile, meta);
    return {
      result: { purpose: "sign-in", userId: member.userId, email: member.email, name: member.name, orgSlug: org!.slug, sessionToken: session.token, pending: session.pending, returnTo: flow.returnTo } satisfies SsoCallbackResult,
      actor: { type: "user", userId: member.userId, label: member.email },
      orgId: connection.orgId,
      target: { type: "session", id: session.id },
      metadata: {
        method: "sso",
        protocol: "oidc",
        connectionId: connection.id,
        subject: profile.subject,
        claims: received,
        created: member.created,
        grants: { added: member.granted, removed: member.removed },
        mfa: session.mfaFromIdp ? "idp" : "local",
        pending: session.pending,
      },
    };
  },
});

/**
 * The same sessions row password sign-in opens. MFA: an org's connection may trust the IdP's
 * amr/acr; otherwise (and always for a member holding an admin-class permission) our own second
 * factor is due exactly as after a password (docs/adr/0014).
 */
export async function openSsoSession(tx: CommandTx, mfaPolicy: string, member: { userId: string; membershipId: string }, profile: SsoProfile, meta: { ip: string | null; userAgent: string | null }) {
  // The member's access here, and whether they have a second factor and must have one: read
  // together (one round trip), whichever the decision below ends up needing.
  const [access, [due]] = await Promise.all([
    loadAccess(tx, member.membershipId),
    tx.execute<{ hasFactor: boolean; required: boolean }>(sql`select ${hasSecondFactorSql(member.userId)} as "hasFactor", ${mfaRequiredSql(member.userId)} as required`),
  ]);
  const adminClass = isMfaDueIn(access, false);
  const mfaFromIdp = mfaPolicy === "idp" && idpAssertedMfa(profile) && !adminClass;
  const pending: PendingSignIn | null = mfaFromIdp ? null : due?.hasFactor ? "mfa" : due?.required ? "enrollment" : null;
  const token = generateSecret();
  const [row] = await tx
    .insert(sessions)
    .values({
      tokenHash: hashSecret(token),
      userId: member.userId,
      ip: meta.ip,
      userAgent: meta.userAgent,
      pending,
      mfaVerifiedAt: mfaFromIdp ? sql`now()` : null,
      expiresAt: sql`now() + make_interval(secs => ${pending ? pendingSignInSeconds() : sessionMaxAgeSeconds()})`,
    })
    .returning({ id: sessions.id });
  return { id: row!.id, token, pending, mfaFromIdp };
}

/**
 * openid-client's error code and message, and which claim, attribute or header it was about
 * (never a token or a whole body: only names and short reasons).
 */
function describeOidcError(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const code = (error as { code?: string }).code;
  const cause = (error as { cause?: unknown }).cause;
  const about: string[] = [];
  if (cause instanceof Error) about.push(cause.message);
  else if (cause && typeof cause === "object") {
    const c = cause as Record<string, unknown>;
    for (const key of ["claim", "attribute", "parameter"]) if (typeof c[key] === "string") about.push(`${key} ${c[key] as string}`);
    const header = c.header as { alg?: unknown } | undefined;
    if (header && typeof header.alg === "string") about.push(`alg ${header.alg}`);
  }
  return `${code ? `${code}: ` : ""}${error.message}${about.length ? ` (${about.join("; ")})` : ""}`.slice(0, 400);
}
