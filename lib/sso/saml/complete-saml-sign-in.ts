import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { ssoAssertionIds, ssoConnections, ssoFlows } from "@/db/schema";
import { defineCommand, type CommandOutcome } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { hashSecret } from "@/lib/identity/secrets";
import { applySsoMember } from "../apply-sso-member";
import { recordLinkAnswer } from "../complete-identity-link";
import { samlAcsUrl } from "../connection-urls";
import type { SsoConnectionRow } from "../load-connection";
import { openSsoSession, type SsoCallbackResult } from "../oidc/complete-oidc-sign-in";
import { planSsoMember } from "../plan-sso-member";
import { auditableClaims, ssoRefusal, type SsoProfile } from "../read-sso-claims";
import { assertEncryptedIfRequired, checkSamlResponse, SamlCheckError } from "./check-saml-response";
import { readSamlProfile } from "./read-saml-profile";
import { samlServiceProvider } from "./saml-sp";
import { assertNoDoctype, parseSafeXml, UnsafeXmlError } from "./saml-xml";

/** A POST binding's SAMLResponse: base64 of at most ~190 KB of XML (the ACS route limits the body too). */
export const MAX_SAML_RESPONSE_CHARS = 256 * 1024;

const acsSchema = z.object({
  connectionId: z.uuid({ message: "must be a connection id" }),
  samlResponse: z.string().min(1, "is missing").max(MAX_SAML_RESPONSE_CHARS, "is too large").regex(/^[A-Za-z0-9+/=\s]+$/, "must be base64"),
  relayState: z.string().max(200).nullish(),
});

/**
 * The SAML ACS (POST binding). Like the OIDC callback: the flow named by RelayState is used up
 * first and stays used whatever follows. node-saml verifies the signature against each of the
 * connection's certificates, takes the assertion only from the XML its signature covers (XML
 * signature wrapping), refuses a second assertion, and checks audience and the time bounds with
 * a bounded skew; check-saml-response.ts checks Destination, Recipient, InResponseTo (against the
 * AuthnRequest id stored in the flow) and the Issuer. An EncryptedAssertion is decrypted with
 * the connection's own key (only the assertion inside is read, and it must still be signed); a
 * connection that requires encryption refuses a plain Assertion before anything else. The assertion id goes into the replay
 * cache until it expires. Then the same path as OIDC: plan, apply, the same session row.
 */
export const completeSamlSignInCommand = defineCommand({
  name: "auth.sso.saml.succeeded",
  description: "Someone signed in through a SAML connection (or an administrator's test of it, `purpose: test`, which signs nobody in; or the IdP's answer to a person linking their own account, `purpose: link`, recorded for their confirmation). The metadata names the connection, the NameID as subject and the attributes received (never the assertion XML), what was created just in time, the grants the mapping rules added and removed, and `pending`. Every refusal (a bad or missing signature, a wrong certificate, audience, recipient, destination or InResponseTo, an expired or replayed assertion, an unsolicited response where IdP-initiated sign-in is off, a DOCTYPE, and the JIT refusals of OIDC) records `auth.sso.failed` with its reason.",
  deniedAction: "auth.sso.failed",
  access: "public",
  input: acsSchema,
  async run({ tx, meta }, input): Promise<CommandOutcome<SsoCallbackResult>> {
    const [connection] = await tx.select().from(ssoConnections).where(and(eq(ssoConnections.id, input.connectionId), eq(ssoConnections.protocol, "saml")));
    if (!connection) throw ssoRefusal("connection-unknown", { connectionId: input.connectionId });
    const flow = input.relayState ? await consumeFlow(tx, connection.id, input.relayState) : null;
    const refuse = (reason: string, detail: Record<string, unknown> = {}) => {
      const error = ssoRefusal(reason, { connectionId: connection.id, protocol: "saml", ...detail });
      // The used-up flow and the replay-cache row commit with the refusal.
      error.commitsWithRefusal = true;
      return error;
    };
    if (input.relayState && !flow) throw refuse("state-invalid");
    const purpose = flow?.purpose ?? "sign-in";
    if (!connection.enabled && purpose !== "test") throw refuse("connection-disabled");
    if (!flow && !connection.allowIdpInitiated) throw refuse("idp-initiated-disabled");

    const xml = Buffer.from(input.samlResponse.replace(/\s+/g, ""), "base64").toString("utf8");
    let checked;
    let samlProfile;
    try {
      assertNoDoctype(xml);
      assertEncryptedIfRequired(parseSafeXml(xml), connection.requireEncryptedAssertions);
      const validated = await samlServiceProvider(connection, { decrypt: true }).validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, "utf8").toString("base64") });
      if (!validated.profile) throw new SamlCheckError("no-assertion", "the response carries no assertion");
      samlProfile = validated.profile;
      checked = checkSamlResponse(xml, samlProfile.getAssertionXml!(), { acsUrl: samlAcsUrl(connection.id), idpEntityId: connection.idpEntityId!, requestId: flow?.requestId ?? null });
    } catch (error) {
      throw refuse(...describeSamlError(error));
    }
    if (!(await rememberAssertion(tx, connection, checked.assertionId, checked.rememberUntil))) throw refuse("assertion-replayed", { assertionId: checked.assertionId });

    let profile: SsoProfile;
    try {
      profile = readSamlProfile(connection, samlProfile, checked);
    } catch (error) {
      if (error instanceof Error && "auditDetail" in error) throw refuse(String((error as { auditDetail: { reason: string } }).auditDetail.reason));
      throw error;
    }
    const received = auditableClaims(profile.claims);
    const [org] = await tx.execute<{ slug: string }>(sql`select slug from organizations where id = ${connection.orgId}`);
    const base = { protocol: "saml", connectionId: connection.id, subject: profile.subject, claims: received, idpInitiated: !flow };
    if (purpose === "test") {
      return {
        result: { purpose: "test", connectionId: connection.id, orgSlug: org!.slug, claims: received, subject: profile.subject } satisfies SsoCallbackResult,
        orgId: connection.orgId,
        target: { type: "sso_connection", id: connection.id },
        metadata: { purpose: "test", ...base },
      };
    }
    if (purpose === "link") {
      await recordLinkAnswer(tx, flow!, connection, profile, refuse);
      return {
        result: { purpose: "link", flowId: flow!.id, orgSlug: org!.slug } satisfies SsoCallbackResult,
        orgId: connection.orgId,
        target: { type: "user", id: flow!.linkUserId! },
        metadata: { purpose: "link", ...base },
      };
    }
    const plan = await planSsoMember(tx, connection, profile).catch((error: unknown) => {
      if (error instanceof Error && "auditDetail" in error) throw refuse(String((error as { auditDetail: { reason: string } }).auditDetail.reason), { ...(error as { auditDetail: Record<string, unknown> }).auditDetail, claims: received });
      throw error;
    });
    const member = await applySsoMember(tx, connection, profile.subject, plan);
    const session = await openSsoSession(tx, connection.mfaPolicy, member, profile, meta);
    return {
      result: { purpose: "sign-in", userId: member.userId, email: member.email, name: member.name, orgSlug: org!.slug, sessionToken: session.token, pending: session.pending, returnTo: flow?.returnTo ?? null } satisfies SsoCallbackResult,
      actor: { type: "user", userId: member.userId, label: member.email },
      orgId: connection.orgId,
      target: { type: "session", id: session.id },
      metadata: { method: "sso", ...base, created: member.created, grants: { added: member.granted, removed: member.removed }, mfa: session.mfaFromIdp ? "idp" : "local", pending: session.pending },
    };
  },
});

/** The flow RelayState names, for this connection, unused and unexpired: used up by one UPDATE. */
async function consumeFlow(tx: CommandTx, connectionId: string, relayState: string) {
  const [flow] = await tx
    .update(ssoFlows)
    .set({ usedAt: sql`now()` })
    .where(and(eq(ssoFlows.stateHash, hashSecret(relayState)), eq(ssoFlows.connectionId, connectionId), isNull(ssoFlows.usedAt), gt(ssoFlows.expiresAt, sql`now()`)))
    .returning();
  return flow?.requestId ? flow : null;
}

/**
 * The replay cache: an assertion id is accepted once per connection until it expires. The
 * primary key decides a race between two posts of the same assertion; expired ids of this
 * connection are swept on the way.
 */
async function rememberAssertion(tx: CommandTx, connection: SsoConnectionRow, assertionId: string, until: Date): Promise<boolean> {
  await tx.delete(ssoAssertionIds).where(and(eq(ssoAssertionIds.connectionId, connection.id), lt(ssoAssertionIds.expiresAt, sql`now()`)));
  const inserted = await tx.insert(ssoAssertionIds).values({ orgId: connection.orgId, connectionId: connection.id, assertionId, expiresAt: until }).onConflictDoNothing().returning({ id: ssoAssertionIds.assertionId });
  return inserted.length === 1;
}

/** A refusal reason and a short detail (node-saml's message, never XML) for the audit trail. */
function describeSamlError(error: unknown): [string, Record<string, unknown>] {
  if (error instanceof SamlCheckError) return [error.reason, { error: error.detail }];
  if (error instanceof UnsafeXmlError) return [error.reason, {}];
  const message = error instanceof Error ? error.message.slice(0, 300) : "unknown error";
  // xml-encryption's own words when the key does not open the EncryptedKey or the data.
  if (/decrypt|oaep|rsa routines|padding|EncryptedAssertion content/i.test(message)) return ["assertion-decryption-failed", { error: "the encrypted assertion does not open with this connection's encryption key (was it encrypted to another service provider's certificate?)", library: message }];
  const reason = /signature/i.test(message)
    ? "signature-invalid"
    : /not yet valid/i.test(message)
      ? "assertion-not-yet-valid"
      : /expired|too old/i.test(message)
        ? "assertion-expired"
        : /audience/i.test(message)
          ? "audience-mismatch"
          : /missing saml assertion/i.test(message)
            ? "no-assertion"
            : /status|error:/i.test(message)
            ? "idp-error"
            : "response-rejected";
  return [reason, { error: message }];
}
