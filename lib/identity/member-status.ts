import { and, eq, isNull, sql } from "drizzle-orm";
import type { CommandTx } from "@/lib/core/command-tx";
import { apiTokens, memberships, oneTimeTokens } from "@/db/schema";
import type { MemberTarget } from "./load-member-target";
import { endMembershipSessions } from "./revoke-member-sessions";

/**
 * Takes a member out of the org inside the calling command's transaction: the membership is
 * deactivated, its sessions here end, every API token of the membership is revoked and its open
 * invitation links stop working, all in the one transaction. Shared by member.deactivated,
 * member.updated and (later) SCIM's `active: false`. Returns how many tokens it revoked.
 */
export async function deactivateMembership(tx: CommandTx, orgId: string, member: Pick<MemberTarget, "membershipId">): Promise<number> {
  await tx.update(memberships).set({ status: "deactivated" }).where(eq(memberships.id, member.membershipId));
  await endMembershipSessions(tx, member.membershipId);
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.membershipId, member.membershipId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(oneTimeTokens.membershipId, member.membershipId), eq(oneTimeTokens.purpose, "invitation"), isNull(oneTimeTokens.usedAt)));
  return revoked.length;
}

/**
 * Lets a deactivated member back in. Someone deactivated before accepting their invitation is
 * invited again, not active: an existing account never joins without its owner accepting.
 */
export async function reactivateMembership(tx: CommandTx, member: Pick<MemberTarget, "membershipId" | "joined" | "hasPassword">): Promise<"active" | "invited"> {
  const status = member.joined && member.hasPassword ? "active" : "invited";
  await tx.update(memberships).set({ status }).where(eq(memberships.id, member.membershipId));
  return status;
}
