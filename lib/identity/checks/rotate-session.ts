import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, isNull, sql } from "drizzle-orm";
import { sessions } from "@/db/schema";
import { UnauthorizedError } from "@/lib/core/errors";
import { generateSecret, hashSecret } from "../secrets";
import { sessionMaxAgeSeconds } from "../session-policy";

/**
 * What the person just proved. Only an MFA check finishes a pending sign-in: a password alone
 * must never get past the second-factor or enrollment step.
 */
export type SessionProof = "password" | "mfa";

/**
 * Issues a new session id for the same session (session fixation: a new id at sign-in and at
 * step-up) and records the proof. An MFA proof also finishes a pending sign-in, and the session's
 * absolute lifetime then counts from its password step (a pending session is short-lived until
 * then). Returns the new cookie value; the old one stops working at once.
 */
export async function rotateSession(tx: CommandTx, sessionId: string, proof: SessionProof): Promise<string> {
  const token = generateSecret();
  const [row] = await tx
    .update(sessions)
    .set({
      tokenHash: hashSecret(token),
      reauthenticatedAt: sql`now()`,
      ...(proof === "mfa"
        ? {
            mfaVerifiedAt: sql`now()`,
            pending: null,
            expiresAt: sql`case when ${sessions.pending} is null then ${sessions.expiresAt} else ${sessions.createdAt} + make_interval(secs => ${sessionMaxAgeSeconds()}) end`,
          }
        : {}),
    })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  if (!row) throw new UnauthorizedError("Your session has ended. Sign in again.", { reason: "session-ended" });
  return token;
}
