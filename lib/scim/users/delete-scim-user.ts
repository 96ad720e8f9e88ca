import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, scimGroupMembers, scimUsers } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { deactivateMembership } from "@/lib/identity/member-status";
import { assertIfMatch } from "../etag";
import { scimOrgOf } from "../scim-actor";
import { loadScimUser } from "./load-scim-user";

export const deleteScimUserSchema = z.object({ scimUserId: z.string().max(100), ifMatch: z.string().max(1000).optional() });

/**
 * DELETE /Users/{id}: soft (the row stays, for the audit trail and a later re-provisioning, and
 * GET answers 404 from now on). The membership is deactivated: its sessions in this org end and
 * its API tokens are revoked in this same transaction. Its group memberships go.
 */
export const deleteScimUserCommand = defineCommand({
  name: "scim.user.deleted",
  description: "The IdP deleted a SCIM User (actor type `scim`): the membership was deactivated, its sessions in this organization ended and its API tokens revoked in the same transaction (`tokensRevoked`); the SCIM record is kept, soft-deleted.",
  access: { permission: "users:manage" },
  input: deleteScimUserSchema,
  async run({ tx, principal }, input) {
    const orgId = scimOrgOf(principal);
    const row = await loadScimUser(tx, orgId, input.scimUserId, { forUpdate: true });
    assertIfMatch(input.ifMatch, row.version);
    let tokensRevoked = 0;
    if (row.membershipId) {
      const [member] = await tx.select({ status: memberships.status }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.id, row.membershipId)));
      if (member && member.status !== "deactivated") tokensRevoked = await deactivateMembership(tx, orgId, { membershipId: row.membershipId });
    }
    await tx.delete(scimGroupMembers).where(and(eq(scimGroupMembers.orgId, orgId), eq(scimGroupMembers.scimUserId, row.id)));
    await tx.update(scimUsers).set({ deletedAt: sql`now()`, version: sql`${scimUsers.version} + 1`, updatedAt: sql`now()` }).where(eq(scimUsers.id, row.id));
    return {
      result: { id: row.id },
      target: { type: "scim-user", id: row.id, label: row.userName },
      metadata: { userName: row.userName, membershipId: row.membershipId, status: "deactivated", tokensRevoked },
    };
  },
});
