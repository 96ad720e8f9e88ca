import { z } from "zod";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { requireSession } from "@/lib/identity/sessions";
import { findOrgIdentity, hasAnotherWayIn, removeIdentityLink } from "./remove-identity-link";

/**
 * A person removes one of their own identities at an org's connection (their Security page).
 * Like linking, it needs a recent second factor: a stolen session alone must not be able to cut
 * the account loose from its IdP. Only the caller's own identity in the membership's org is
 * found; an account with no password and no other identity keeps its last one.
 */
export const unlinkOwnIdentityCommand = defineCommand({
  name: "account.sso_identity.unlinked",
  description: "A person (with a recent second factor) removed one of their own SSO identities (connection and subject) in an organization, and with it the grants that connection's mapping rules had given them there. Their last way to sign in is never removed.",
  access: "authenticated",
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: z.strictObject({ identityId: z.uuid({ message: "must be an identity id" }) }),
  async run({ tx, principal }, input) {
    if (principal.pendingSignIn) throw new ForbiddenError("Finish signing in first.");
    const { userId } = requireSession(principal);
    const orgId = principal.org?.id ?? notFound("Organization");
    const identity = (await findOrgIdentity(tx, orgId, input.identityId, userId)) ?? notFound("Identity");
    if (!(await hasAnotherWayIn(tx, identity))) throw new ForbiddenError("This identity is how you sign in: your account has no password and no other identity. Set a password first (Forgot password on the sign-in page), then unlink it.");
    const grantsRemoved = await removeIdentityLink(tx, identity);
    return {
      result: { id: identity.id, grantsRemoved: grantsRemoved.length },
      target: { type: "user", id: userId },
      metadata: { before: { connectionId: identity.connectionId, connection: identity.connectionName, subject: identity.subject }, grantsRemoved, via: "self" },
    };
  },
});
