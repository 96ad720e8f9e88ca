import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { sessions } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";

/** Ends the session the request came with; its cookie is rejected from then on. */
export const signOutCommand = defineCommand({
  name: "auth.signout",
  description: "A signed-in person signed out; the session they came with is revoked.",
  access: "authenticated",
  input: z.object({}),
  async run({ tx, principal }) {
    const userId = actorUserId(principal.actor);
    if (principal.sessionId && userId) {
      await tx
        .update(sessions)
        .set({ revokedAt: sql`now()` })
        .where(and(eq(sessions.id, principal.sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)));
    }
    return { result: null, target: principal.sessionId ? { type: "session", id: principal.sessionId } : undefined };
  },
});
