import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { hashSecret } from "./secrets";

export interface SessionUser {
  sessionId: string;
  userId: string;
  email: string;
  name: string;
}

/** Looks a cookie's session id up on every request: revoked, expired or disabled means signed out. */
export async function resolveSession(db: Executor, token: string | null | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({ sessionId: sessions.id, userId: users.id, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashSecret(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`), isNull(users.disabledAt)));
  return row ?? null;
}
