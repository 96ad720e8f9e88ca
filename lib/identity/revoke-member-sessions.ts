import { and, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { sessions } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { loadManagedMember, memberTargetSchema } from "./load-member-target";

/**
 * Ends every open session of a user at once: the next request with any of their cookies is
 * signed out (resolve-session.ts reads revoked_at on every request). Returns how many ended.
 */
export async function revokeUserSessions(tx: Tx, userId: string): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return ended.length;
}

/** An administrator signs a member out everywhere (a lost laptop, a suspected compromise). */
export const revokeMemberSessionsCommand = defineCommand({
  name: "member.sessions.revoked",
  description: "An administrator ended every open session of a member; `count` is how many were open. Sessions belong to the person, so this signs them out of every organization.",
  access: { permission: "users:manage" },
  input: memberTargetSchema,
  async run({ tx, principal }, input) {
    const member = await loadManagedMember(tx, principal, input.membershipId);
    const count = await revokeUserSessions(tx, member.userId);
    return {
      result: { count },
      target: { type: "membership", id: member.membershipId },
      branchId: member.branchId,
      metadata: { member: member.email, count },
    };
  },
});
