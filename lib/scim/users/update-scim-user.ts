import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { scimUsers, users } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { orgOwnsDomain } from "@/lib/identity/account-ownership";
import { emailDomain } from "@/lib/identity/email-domain";
import { issueInvitation } from "@/lib/identity/resend-invitation";
import { applyScimPatch, normalizeScimPatch, normalizeScimResource, SCIM_USER_RESOURCE_SCHEMA, type ScimUserDoc } from "@/lib/scim/patch";
import { assertIfMatch } from "../etag";
import { scimOrgOf } from "../scim-actor";
import { applyScimActive, linkScimMember, type LinkedMember } from "./link-member";
import { assertUserNameFree, loadGroupsOfUsers, loadScimUser } from "./load-scim-user";
import { renderScimUser, storedUserDoc, type ScimUserRow } from "./render-scim-user";
import { requireUserName } from "./require-user-name";
import { syncScimGrants } from "./sync-scim-grants";
import { readUserFacts } from "./user-facts";

export const updateScimUserSchema = z.object({
  scimUserId: z.string().max(100),
  mode: z.enum(["replace", "patch"]),
  body: z.unknown(),
  ifMatch: z.string().max(1000).optional(),
});

/**
 * PUT (replace) or PATCH of a SCIM User, on the row locked for the change, so two changes take
 * turns and a stale If-Match is 412. `active: false` deactivates the membership, ending its
 * sessions in this org and revoking its API tokens in this same transaction; the mapped grants
 * follow the enterprise attributes.
 */
export const updateScimUserCommand = defineCommand({
  name: "scim.user.updated",
  description: "The IdP replaced (PUT) or patched a SCIM User (actor type `scim`): what changed, and for `active: false` the membership deactivated with its sessions here ended and its API tokens revoked in the same transaction (`tokensRevoked`).",
  access: { permission: "users:manage" },
  input: updateScimUserSchema,
  async run(ctx, input) {
    const orgId = scimOrgOf(ctx.principal);
    const { tx } = ctx;
    const row = await loadScimUser(tx, orgId, input.scimUserId, { forUpdate: true });
    assertIfMatch(input.ifMatch, row.version);
    const groups = (await loadGroupsOfUsers(tx, orgId, [row.id])).get(row.id)!;
    let resource: Record<string, unknown>;
    if (input.mode === "replace") {
      resource = normalizeScimResource(input.body, "User") as unknown as Record<string, unknown>;
    } else {
      const ops = normalizeScimPatch(input.body, "User");
      const current = renderScimUser(row, groups);
      delete current.meta;
      resource = applyScimPatch(current as unknown as ScimUserDoc, ops, SCIM_USER_RESOURCE_SCHEMA).resource as unknown as Record<string, unknown>;
    }
    const facts = readUserFacts(resource);
    requireUserName(facts.userName);
    if (facts.userName.toLowerCase() !== row.userNameKey) await assertUserNameFree(tx, orgId, facts.userName, row.id);
    const doc = storedUserDoc(resource);
    const changed = facts.userName !== row.userName || facts.externalId !== row.externalId || facts.active !== row.active || JSON.stringify(doc) !== JSON.stringify(row.doc);
    let membership: { membershipId: string | null; status?: string; tokensRevoked: number } = { membershipId: row.membershipId, tokensRevoked: 0 };
    let invitation: LinkedMember["invitation"] = null;
    let linkedNow: Partial<Pick<ScimUserRow, "userId" | "membershipId" | "signInEmail">> = {};
    if (!row.membershipId) {
      // The org removed the membership by hand: the IdP still lists the person, so link them again.
      const linked = await linkScimMember(ctx, orgId, row.id, facts);
      linkedNow = { userId: linked.userId, membershipId: linked.membershipId, signInEmail: linked.signInEmail };
      invitation = linked.invitation;
      membership = { membershipId: linked.membershipId, status: linked.status, tokensRevoked: 0 };
    } else if (facts.active !== row.active) {
      const applied = await applyScimActive(tx, orgId, row.membershipId, facts.active, await accountKindOf(tx, orgId, row.signInEmail));
      if (applied) membership = { membershipId: row.membershipId, ...applied };
      // Deactivating used up the invitation link: someone invited again gets a fresh one.
      if (applied?.status === "invited" && row.signInEmail && row.userId) invitation = await issueInvitation(tx, ctx.principal, { userId: row.userId, membershipId: row.membershipId, email: row.signInEmail });
    }
    // A managed account is the org's (an owned domain, or SSO only): the directory's name is its name.
    // An invited person's account is their own, and keeps the name they chose.
    const name = facts.name?.slice(0, 120);
    const previous = readUserFacts({ ...row.doc, userName: row.userName }).name?.slice(0, 120);
    if (row.membershipId && row.userId && name && name !== previous && (await accountKindOf(tx, orgId, row.signInEmail)) === "managed") {
      await tx.update(users).set({ name }).where(eq(users.id, row.userId));
    }
    const [saved] = await tx
      .update(scimUsers)
      .set({
        userName: facts.userName,
        userNameKey: facts.userName.toLowerCase(),
        externalId: facts.externalId,
        active: facts.active,
        doc,
        ...linkedNow,
        ...(changed ? { version: sql`${scimUsers.version} + 1`, updatedAt: sql`now()` } : {}),
      })
      .where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.id, row.id)))
      .returning();
    const grants = await syncScimGrants(tx, orgId, row.id);
    return {
      result: { resource: renderScimUser(saved!, groups), invitation },
      target: { type: "scim-user", id: row.id, label: facts.userName },
      metadata: {
        mode: input.mode,
        membershipId: membership.membershipId,
        before: { userName: row.userName, active: row.active, version: row.version },
        after: { userName: facts.userName, active: facts.active, version: saved!.version },
        ...(membership.status ? { status: membership.status } : {}),
        tokensRevoked: membership.tokensRevoked,
        grants,
      },
    };
  },
});

/** Managed (an owned domain, or SSO only) or invited, as when the person was linked. */
export async function accountKindOf(tx: CommandTx, orgId: string, signInEmail: string | null): Promise<LinkedMember["kind"]> {
  if (!signInEmail) return "managed";
  return (await orgOwnsDomain(tx, orgId, emailDomain(signInEmail))) ? "managed" : "invited";
}
