import { z } from "zod";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { orgOwnsAccount } from "@/lib/identity/account-ownership";
import { findOrgIdentity, hasAnotherWayIn, removeIdentityLink } from "./remove-identity-link";

/**
 * An administrator removes a member's identity at one of the org's connections: a wrong link, or
 * an IdP account that now belongs to someone else. The mirror of linkIdentityCommand, with the
 * same bounds: `sso:manage` with a step-up, only in an org that owns the account (its verified
 * domain), only this org's identities. The grants the connection's rules gave go with it.
 */
export const unlinkIdentityCommand = defineCommand({
  name: "sso.identity.unlinked",
  description: "An administrator of the organization that owns an account removed its identity (connection and subject) at one of the organization's SSO connections, and the grants that connection's mapping rules had given it. An account's last way to sign in is never removed: deactivate or remove the member instead.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: z.strictObject({ identityId: z.uuid({ message: "must be an identity id" }) }),
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    const identity = (await findOrgIdentity(tx, orgId, input.identityId)) ?? notFound("Identity");
    if (!(await orgOwnsAccount(tx, orgId, identity.userId))) throw new ForbiddenError("Only an organization that owns the account (its verified domain) can unlink it.", "sso:manage");
    if (!(await hasAnotherWayIn(tx, identity))) throw new ForbiddenError("This identity is the account's only way to sign in (it has no password and no other identity): deactivate or remove the member instead.", "sso:manage");
    const grantsRemoved = await removeIdentityLink(tx, identity);
    return {
      result: { id: identity.id, userId: identity.userId, grantsRemoved: grantsRemoved.length },
      target: { type: "user", id: identity.userId },
      metadata: { before: { connectionId: identity.connectionId, connection: identity.connectionName, subject: identity.subject }, grantsRemoved, via: "admin" },
    };
  },
});
