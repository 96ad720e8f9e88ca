import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { sessions } from "@/db/schema";
import type { PendingSignIn } from "./resolve-session";
import { sessionIdleTimeoutSeconds } from "./session-policy";

export interface OwnSession {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
  /** A sign-in that stopped at the second factor or enrollment step. */
  pending: PendingSignIn | null;
}

/**
 * The person's own sessions that still work: not ended, not past their absolute expiry, not idle
 * past the timeout (the same tests resolveSession applies), most recently used first. Sessions
 * belong to the person, not to an org, so this is keyed by the user id alone.
 */
export async function listOwnSessions(db: Executor, userId: string): Promise<OwnSession[]> {
  const rows = await db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent, pending: sessions.pending })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${sessionIdleTimeoutSeconds()})`),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.id));
  return rows.map((r) => ({ ...r, pending: (r.pending as PendingSignIn | null) ?? null }));
}
