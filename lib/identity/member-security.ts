import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { authThrottle, memberships, sessions } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { AppError } from "@/lib/core/errors";
import { authorizeMemberChange, loadMemberTarget, mayReachAccount } from "./load-member-target";
import { BLOCK_AFTER_FAILURES, mfaKey } from "./throttle-keys";

/** Facts about the person rather than the membership: shown only to an org that owns the account. */
export interface AccountSecurity {
  openSessions: number;
  /** Consecutive wrong second-factor codes, and whether they reached the block. */
  secondFactorFailures: number;
  secondFactorBlocked: boolean;
}

export interface MemberSecurity {
  status: "invited" | "active" | "deactivated";
  /** The viewer may end sessions here, resend an invitation and (de)activate; the commands check again. */
  canManage: boolean;
  /** Why not, when they may not (shown instead of the buttons). */
  reason: string | null;
  /** When this org last ended the member's sessions here (ISO time), if ever. */
  sessionsEndedAt: string | null;
  /** Null unless the org owns the account: then it may also reset, end sessions everywhere and clear the block. */
  account: AccountSecurity | null;
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
  const [row] = await db.select({ at: memberships.sessionsRevokedAt }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.id, member.membershipId)));
  // The person's sessions and second-factor count span every org they use: not this org's to see.
  const account = reason === null && (await mayReachAccount(db, principal, member.userId)) ? await loadAccountSecurity(db, member.userId) : null;
  return { status: member.status, canManage: reason === null, reason, sessionsEndedAt: row?.at?.toISOString() ?? null, account };
}

async function loadAccountSecurity(db: Executor, userId: string): Promise<AccountSecurity> {
  const [open] = await db
    .select({ n: count() })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)));
  const [mfa] = await db.select({ failures: authThrottle.failures }).from(authThrottle).where(eq(authThrottle.key, mfaKey(userId).key));
  const secondFactorFailures = mfa?.failures ?? 0;
  return { openSessions: open?.n ?? 0, secondFactorFailures, secondFactorBlocked: secondFactorFailures >= BLOCK_AFTER_FAILURES };
}
