import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users, webauthnCredentials } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { notFound } from "@/lib/core/command";

/**
 * The person a passkey command acts for: always the signed-in user themselves. API tokens cannot
 * run a browser ceremony, so they are refused (the command's access rule lets them start).
 */
export function passkeyOwnerId(principal: Principal): string {
  if (principal.actor.type !== "user") throw new ForbiddenError("Passkeys are managed by the signed-in person, from the dashboard.");
  return principal.actor.userId;
}

export async function loadPasskeyOwner(db: Executor, userId: string): Promise<{ id: string; email: string; name: string }> {
  const [user] = await db.select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.id, userId));
  return user ?? notFound("User");
}

/** The user's passkeys as WebAuthn descriptors (id and transports only: nothing secret). */
export async function listPasskeyDescriptors(db: Executor, userId: string): Promise<Array<{ id: string; transports: string[] }>> {
  return db
    .select({ id: webauthnCredentials.credentialId, transports: webauthnCredentials.transports })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.userId, userId))
    .orderBy(webauthnCredentials.createdAt);
}
