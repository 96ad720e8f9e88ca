import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ssoIdentities, users } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ForbiddenError, UnauthorizedError } from "@/lib/core/errors";
import { accountKey, checkUnlessThrottled, clearFailures } from "@/lib/identity/checks/throttle";
import { verifyPassword } from "@/lib/identity/passwords";
import { requireSession } from "@/lib/identity/sessions";
import { assertNotOwnedElsewhere } from "./assert-not-owned-elsewhere";
import { findConnection } from "./load-connection";
import { openFlow } from "./start-sso";

/** Refusals of the person's own linking (a wrong password, an unknown connection) are recorded under this name. */
export const IDENTITY_LINK_REFUSED = "account.sso_link.refused";

/**
 * A person signed in with a password links their own account to an identity at one of the
 * connections of an org they are an active member of (the principal is that membership). It needs their password *and* a recent
 * second factor (the step-up), so a stolen session alone cannot attach an IdP identity that would
 * then sign in as them. It opens a `link` flow naming them; the IdP's answer is only recorded on
 * the flow (complete-identity-link.ts), and the link is made when their own session confirms it.
 * The account is always the caller's: the input names no user.
 */
export const startIdentityLinkCommand = defineCommand({
  name: "account.sso_link.started",
  description: "A person (password and a recent second factor checked) started linking their own account to an identity at one of their organization's SSO connections; they were sent to the IdP. A wrong password, a connection they cannot use, or an identity they already have there records `account.sso_link.refused`.",
  deniedAction: IDENTITY_LINK_REFUSED,
  access: "authenticated",
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: z.strictObject({
    connectionId: z.uuid({ message: "must be a connection id" }),
    password: z.string().min(1, "is required").max(1024, "must be at most 1024 characters"),
  }),
  async run({ tx, principal }, input) {
    if (principal.pendingSignIn) throw new ForbiddenError("Finish signing in first.");
    const { userId } = requireSession(principal);
    const [found] = await tx.select().from(users).where(eq(users.id, userId));
    // An account made by SSO has no password to prove: its administrator links it instead.
    if (found && !found.passwordHash) throw new ForbiddenError("Your account has no password, and linking needs it: ask your organization's administrator to link your account instead.");
    const user = await checkUnlessThrottled(tx, [accountKey(found?.email ?? principal.actor.label)], async () => {
      if (!found?.passwordHash || !(await verifyPassword(found.passwordHash, input.password))) throw new UnauthorizedError("Your password is not right.", { reason: "bad-password" });
      return found;
    });
    await clearFailures(tx, [accountKey(user.email)]);
    // The principal is the person's active membership in the org (the page loads it by slug):
    // only that org's enabled connections; another org's id reads as missing.
    const orgId = principal.org?.id ?? notFound("Organization");
    const connection = await findConnection(tx, orgId, input.connectionId);
    if (!connection?.enabled) notFound("Connection");
    await assertNotOwnedElsewhere(userId, orgId);
    const [existing] = await tx.select({ id: ssoIdentities.id }).from(ssoIdentities).where(and(eq(ssoIdentities.connectionId, connection.id), eq(ssoIdentities.userId, userId)));
    if (existing) throw new ConflictError("Your account is already linked to an identity at this connection.", "connectionId");
    const started = await openFlow(tx, connection, "link", null, userId);
    return { result: started, orgId: connection.orgId, target: { type: "user", id: userId }, metadata: { connectionId: connection.id, protocol: connection.protocol } };
  },
});
