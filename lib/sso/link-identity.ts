import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, users } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError } from "@/lib/core/errors";
import { orgOwnsAccount } from "@/lib/identity/account-ownership";
import { insertIdentityLink } from "./insert-identity-link";
import { findConnection } from "./load-connection";

/**
 * Links an existing account to an identity at one of the org's connections, so that person's
 * next SSO sign-in finds their account (SSO itself never links by email). Only an org that owns
 * the account (its verified domain) may, and only for a member of the org; audited with both.
 * The Settings page (Single sign-on, "Link a member") and the CLI call it; a person links their
 * own account through an IdP round trip instead (start-identity-link.ts).
 */
export const linkIdentityCommand = defineCommand({
  name: "sso.identity.linked",
  description: "An administrator of the organization that owns an account linked it to an identity (connection and subject) at one of its SSO connections; SSO never links an account by email on its own.",
  access: { permission: "sso:manage" },
  stepUp: { kind: "mfa", apiTokens: "refuse" },
  input: z.object({
    connectionId: z.uuid({ message: "must be a connection id" }),
    subject: z.string().trim().min(1).max(500),
    email: z.string().trim().toLowerCase().max(320),
  }),
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    authorize("sso:manage", "");
    if (!(await findConnection(tx, orgId, input.connectionId))) notFound("Connection");
    const [member] = await tx
      .select({ userId: users.id, email: users.email })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, orgId)))
      .where(eq(sql`lower(${users.email})`, input.email));
    if (!member) notFound("Member");
    if (!(await orgOwnsAccount(tx, orgId, member.userId))) throw new ForbiddenError("Only an organization that owns the account (its verified domain) can link it.", "sso:manage");
    const id = await insertIdentityLink(tx, { orgId, connectionId: input.connectionId, subject: input.subject, userId: member.userId });
    return { result: { id, userId: member.userId }, target: { type: "user", id: member.userId }, metadata: { after: { connectionId: input.connectionId, subject: input.subject, email: member.email }, via: "admin" } };
  },
});
