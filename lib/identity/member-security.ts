import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { authThrottle, sessions } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { AppError } from "@/lib/core/errors";
import { authorizeMemberChange, loadMemberTarget } from "./load-member-target";
import { BLOCK_AFTER_FAILURES, mfaKey } from "./throttle-keys";

export interface MemberSecurity {
  status: "invited" | "active" | "deactivated";
  openSessions: number;
  /** The viewer may send resets, end sessions and (de)activate this member; the commands check again. */
  canManage: boolean;
  /** Why not, when they may not (shown instead of the buttons). */
  reason: string | null;
  /** Consecutive wrong second-factor codes, and whether they reached the block. */
  secondFactorFailures: number;
  secondFactorBlocked: boolean;
}

/** The "Sign-in and security" panel's facts about a member the viewer can already read. */
export async function loadMemberSecurity(db: Executor, principal: Principal, membershipId: string): Promise<MemberSecurity | null> {
  const orgId = principal.org?.id;
  if (!orgId) return null;
  const member = await loadMemberTarget(db, orgId, membershipId).catch(() => null);
  if (!member) return null;
  let reason: string | null = null;
  try {
    authorizeMemberChange(principal, member);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    reason = "Managing this member’s sign-in needs users:manage at every branch where they hold a role.";
  }
  const [open] = await db
    .select({ n: count() })
    .from(sessions)
    .where(and(eq(sessions.userId, member.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)));
  const [mfa] = await db.select({ failures: authThrottle.failures }).from(authThrottle).where(eq(authThrottle.key, mfaKey(member.userId).key));
  const secondFactorFailures = mfa?.failures ?? 0;
  return { status: member.status, openSessions: open?.n ?? 0, canManage: reason === null, reason, secondFactorFailures, secondFactorBlocked: secondFactorFailures >= BLOCK_AFTER_FAILURES };
}
