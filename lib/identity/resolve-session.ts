import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { hashSecret } from "./secrets";
import { LAST_SEEN_RESOLUTION_SECONDS, sessionIdleTimeoutSeconds } from "./session-policy";
import { touchSession } from "./touch-session";

export type PendingSignIn = "mfa" | "enrollment";

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
  /** Set while the sign-in is not finished: only the matching page accepts the session. */
  pending: PendingSignIn | null;
  reauthenticatedAt: Date;
  mfaVerifiedAt: Date | null;
}

/**
 * Looks a cookie's session id up on every request. Revoked, past its absolute expiry, idle for
 * longer than the idle timeout, or belonging to a disabled user: signed out.
 */
export async function resolveSession(db: Executor, token: string | null | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({
      sessionId: sessions.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      pending: sessions.pending,
      reauthenticatedAt: sessions.reauthenticatedAt,
      mfaVerifiedAt: sessions.mfaVerifiedAt,
      stale: sql<boolean>`${sessions.lastSeenAt} < now() - make_interval(secs => ${LAST_SEEN_RESOLUTION_SECONDS})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.tokenHash, hashSecret(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        gt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${sessionIdleTimeoutSeconds()})`),
        isNull(users.disabledAt),
      ),
    );
  if (!row) return null;
  const { stale, ...session } = row;
  if (stale) await touchSession(db, session.sessionId);
  return { ...session, pending: (session.pending as PendingSignIn | null) ?? null };
}
