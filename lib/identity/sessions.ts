import { actorUserId, type Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";

/** The session the request came with, required by every command that proves or changes factors. */
export function requireSession(principal: Principal): { userId: string; sessionId: string } {
  const userId = actorUserId(principal.actor);
  if (principal.actor.type !== "user" || !userId || !principal.sessionId) throw new ForbiddenError("Sign in first.");
  return { userId, sessionId: principal.sessionId };
}
