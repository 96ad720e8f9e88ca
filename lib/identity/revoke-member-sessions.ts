import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, sessions } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { assertReachesAccount, loadManagedMember, memberTargetSchema } from "./load-member-target";

/**
 * Ends every open session of a user at once: the next request with any of their cookies is
 * signed out (resolve-session.ts reads revoked_at on every request). Returns how many ended.
 */
export async function revokeUserSessions(tx: CommandTx, userId: string): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}

/**
 * Ends a member's sessions in one org only: from the next request, a session that began before
 * now is not accepted there (load-member-principal.ts), while the person's other orgs keep it.
 */
export async function endMembershipSessions(tx: CommandTx, membershipId: string): Promise<void> {
  await tx.update(memberships).set({ sessionsRevokedAt: sql`now()` }).where(eq(memberships.id, membershipId));
}

export const revokeMemberSessionsSchema = memberTargetSchema.extend({
  // "everywhere" is the person's own sessions in every org: only for an org that owns the account.
  scope: z.enum(["organization", "everywhere"], { message: 'must be "organization" or "everywhere"' }).default("organization"),
});

/**
 * An administrator signs a member out (a lost laptop, a suspected compromise). Sessions belong to
 * the person, so an org ends them only within itself; signing the person out of every org is for
 * an org that owns the account (a verified email domain) and for the operator.
 */
export const revokeMemberSessionsCommand = defineCommand({
  name: "member.sessions.revoked",
  description:
    "An administrator ended a member's sessions. `scope: organization`: every session the member had begun stops being accepted in this organization (they sign in again to continue here; their other organizations are not affected). `scope: everywhere` (only an organization that owns the account, or the operator): every open session of the person ended, `count` of them.",
  access: { permission: "users:manage" },
  input: revokeMemberSessionsSchema,
  async run({ tx, principal }, input) {
    const member = await loadManagedMember(tx, principal, input.membershipId);
    if (input.scope === "everywhere") {
      await assertReachesAccount(tx, principal, member, "end their sessions in every organization. “End sessions here” signs them out of this organization.");
    }
    await endMembershipSessions(tx, member.membershipId);
    const count = input.scope === "everywhere" ? await revokeUserSessions(tx, member.userId) : null;
    return {
      result: { scope: input.scope, count },
      target: { type: "membership", id: member.membershipId, label: member.email },
      branchId: member.branchId,
      metadata: { member: member.email, scope: input.scope, ...(count === null ? {} : { count }) },
    };
  },
});
