import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { sessions } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { requireSession } from "./sessions";

/** Ends one of the person's own sessions (another device), found within their sessions only. */
export const revokeOwnSessionCommand = defineCommand({
  name: "session.revoked",
  description: "A person ended one of their own sessions (another browser or device) from the Security page.",
  access: "authenticated",
  input: z.object({ sessionId: z.uuid({ message: "must be a session id" }) }),
  async run({ tx, principal }, input) {
    const { userId } = requireSession(principal);
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    if (!ended.length) notFound("Session");
    return { result: null, target: { type: "session", id: input.sessionId } };
  },
});

/** Ends every session of the person except the one they are using. */
export const revokeOtherSessionsCommand = defineCommand({
  name: "session.others_revoked",
  description: "A person ended all their sessions except the current one.",
  access: "authenticated",
  input: z.object({}),
  async run({ tx, principal }) {
    const { userId, sessionId } = requireSession(principal);
    const ended = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.userId, userId), ne(sessions.id, sessionId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return { result: { count: ended.length }, target: { type: "user", id: userId }, metadata: { count: ended.length } };
  },
});
