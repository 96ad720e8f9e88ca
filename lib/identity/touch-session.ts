import { and, eq, lt, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { sessions } from "@/db/schema";
import { LAST_SEEN_RESOLUTION_SECONDS } from "./session-policy";

/**
 * Moves a session's last_seen_at forward for the idle timeout, at most once a minute. This is
 * bookkeeping, not an action by a person: auditing it would add one event per minute per user and
 * drown the trail, so it is the one session write outside a command (see the architecture test).
 */
export async function touchSession(db: Executor, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), lt(sessions.lastSeenAt, sql`now() - make_interval(secs => ${LAST_SEEN_RESOLUTION_SECONDS})`)));
}
