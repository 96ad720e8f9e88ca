import { sql } from "drizzle-orm";
import type { CommandTx } from "@/lib/core/command-tx";
import { sessions } from "@/db/schema";
import type { PendingSignIn } from "./resolve-session";
import { generateSecret, hashSecret } from "./secrets";
import { pendingSignInSeconds, sessionMaxAgeSeconds } from "./session-policy";

/**
 * Opens a sessions row inside the calling command's transaction and returns its secret for the
 * cookie (only its hash is stored). A pending one (second factor or enrollment still due) is
 * short-lived and good only for that step. Password sign-in and an accepted invitation open
 * their sessions here, so both are exactly the same kind of session.
 */
export async function openSession(tx: CommandTx, { userId, ip, userAgent, pending }: { userId: string; ip: string | null; userAgent: string | null; pending: PendingSignIn | null }): Promise<{ id: string; token: string }> {
  const token = generateSecret();
  const [row] = await tx
    .insert(sessions)
    .values({
      tokenHash: hashSecret(token),
      userId,
      ip,
      userAgent,
      pending,
      expiresAt: sql`now() + make_interval(secs => ${pending ? pendingSignInSeconds() : sessionMaxAgeSeconds()})`,
    })
    .returning({ id: sessions.id });
  return { id: row!.id, token };
}
