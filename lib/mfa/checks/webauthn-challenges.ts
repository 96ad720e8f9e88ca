import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, gt, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { decodeClientDataJSON } from "@simplewebauthn/server/helpers";
import { webauthnChallenges } from "@/db/schema";

export type WebauthnChallengePurpose = "registration" | "authentication";

/** How long a ceremony may take between the options and the response. */
export const WEBAUTHN_CHALLENGE_TTL_SECONDS = 5 * 60;

/**
 * Stores a freshly generated challenge for one ceremony of this user. Their spent and expired
 * ones are cleared first; they can never be used again, so keeping them only grows the table.
 */
export async function issueWebauthnChallenge(tx: CommandTx, userId: string, purpose: WebauthnChallengePurpose, challenge: string): Promise<void> {
  await tx
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.userId, userId), or(isNotNull(webauthnChallenges.usedAt), lt(webauthnChallenges.expiresAt, sql`now()`))));
  await tx.insert(webauthnChallenges).values({
    userId,
    challenge,
    purpose,
    expiresAt: sql`now() + make_interval(secs => ${WEBAUTHN_CHALLENGE_TTL_SECONDS})`,
  });
}

/** The challenge the browser signed, read from the response's clientDataJSON; null when unreadable. */
export function readSignedChallenge(clientDataJSON: string): string | null {
  try {
    const challenge = decodeClientDataJSON(clientDataJSON).challenge;
    return typeof challenge === "string" && challenge.length > 0 && challenge.length <= 512 ? challenge : null;
  } catch {
    return null;
  }
}

/**
 * Marks the challenge used and returns it, or null when it is unknown, someone else's, for the
 * other ceremony, already used or expired. One conditional UPDATE, so two requests racing with
 * the same response cannot both get it: that is what makes a replayed response fail.
 */
export async function consumeWebauthnChallenge(tx: CommandTx, userId: string, purpose: WebauthnChallengePurpose, clientDataJSON: string): Promise<string | null> {
  const challenge = readSignedChallenge(clientDataJSON);
  if (!challenge) return null;
  const [row] = await tx
    .update(webauthnChallenges)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(webauthnChallenges.challenge, challenge),
        eq(webauthnChallenges.userId, userId),
        eq(webauthnChallenges.purpose, purpose),
        isNull(webauthnChallenges.usedAt),
        gt(webauthnChallenges.expiresAt, sql`now()`),
      ),
    )
    .returning({ challenge: webauthnChallenges.challenge });
  return row?.challenge ?? null;
}
