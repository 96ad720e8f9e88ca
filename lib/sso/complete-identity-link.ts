import { and, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { ssoFlows } from "@/db/schema";
import { defineCommand, notFound, type CommandOutcome } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { ForbiddenError } from "@/lib/core/errors";
import { requireSession } from "@/lib/identity/sessions";
import { assertNotOwnedElsewhere } from "./assert-not-owned-elsewhere";
import { identityHolder, insertIdentityLink } from "./insert-identity-link";
import type { SsoConnectionRow } from "./load-connection";
import type { SsoProfile } from "./read-sso-claims";
import { IDENTITY_LINK_REFUSED } from "./start-identity-link";

/** The callback's answer to a link flow: where the person's own session confirms it. */
export interface LinkAnswer {
  purpose: "link";
  flowId: string;
  orgSlug: string;
}

/**
 * The first half, inside the OIDC callback or the SAML ACS once the IdP's answer is verified:
 * the subject is recorded on the (already used-up) flow. Nothing is linked yet: the callback is
 * reached by whatever browser the IdP sends back, so someone could hand another person the IdP
 * link of a flow they started and have that person's identity land on their account. An identity
 * linked to anyone already is refused here, before the person is asked to confirm.
 */
export async function recordLinkAnswer(tx: CommandTx, flow: { id: string; linkUserId: string | null }, connection: SsoConnectionRow, profile: SsoProfile, refuse: (reason: string, detail?: Record<string, unknown>) => Error): Promise<void> {
  if (!flow.linkUserId) throw refuse("state-invalid");
  const holder = await identityHolder(tx, connection.id, profile.subject);
  if (holder) throw refuse("identity-already-linked", { subject: profile.subject, sameAccount: holder === flow.linkUserId });
  await tx.update(ssoFlows).set({ linkSubject: profile.subject }).where(eq(ssoFlows.id, flow.id));
}

/**
 * The second half: the person's own session (with a recent second factor, as their active
 * membership of the flow's org: the principal) confirms, and the identity the IdP answered is linked to their account. Another
 * person's flow, an unanswered or expired one, or one confirmed already reads as missing.
 */
export const confirmIdentityLinkCommand = defineCommand({
  name: "account.sso_identity.linked",
  description: "A person linked their own account to the identity (connection and subject) their IdP answered in a link flow they started with their password and second factor; confirmed by their own session. SSO never links by email. A link refused here (identity linked elsewhere meanwhile, membership ended) records `account.sso_link.refused`.",
  deniedAction: IDENTITY_LINK_REFUSED,
  access: "authenticated",
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: z.strictObject({ flowId: z.uuid({ message: "must be a link request id" }) }),
  async run({ tx, principal }, input): Promise<CommandOutcome<{ id: string; connectionId: string }>> {
    if (principal.pendingSignIn) throw new ForbiddenError("Finish signing in first.");
    const { userId } = requireSession(principal);
    const orgId = principal.org?.id ?? notFound("Organization");
    const [flow] = await tx
      .update(ssoFlows)
      .set({ linkConfirmedAt: sql`now()` })
      .where(and(eq(ssoFlows.id, input.flowId), eq(ssoFlows.orgId, orgId), eq(ssoFlows.purpose, "link"), eq(ssoFlows.linkUserId, userId), isNotNull(ssoFlows.linkSubject), isNull(ssoFlows.linkConfirmedAt), gt(ssoFlows.expiresAt, sql`now()`)))
      .returning();
    if (!flow) notFound("Link request");
    await assertNotOwnedElsewhere(userId, orgId);
    const id = await insertIdentityLink(tx, { orgId: flow.orgId, connectionId: flow.connectionId, subject: flow.linkSubject!, userId });
    return { result: { id, connectionId: flow.connectionId }, orgId: flow.orgId, target: { type: "user", id: userId }, metadata: { after: { connectionId: flow.connectionId, subject: flow.linkSubject }, via: "self" } };
  },
});
