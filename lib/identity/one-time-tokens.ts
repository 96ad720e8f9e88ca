import type { CommandTx } from "@/lib/core/command-tx";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { oneTimeTokens } from "@/db/schema";
import { generateSecret, hashSecret } from "./secrets";

/**
 * Single-use links (password reset, invitation, email change). Each helper takes the calling
 * command's transaction: a link is issued, or used up, together with the change it stands for.
 */
export type OneTimeTokenPurpose = "password_reset" | "invitation" | "email_change";

export const oneTimeTokenSchema = z.string().trim().min(1, "is required").max(200, "is not a valid link");

/**
 * Mints a link secret: 256 bits from the CSPRNG, of which only the SHA-256 is stored, so the
 * table alone cannot be turned back into working links. The raw token goes into the mail only,
 * never into the result's audit metadata.
 */
export async function issueOneTimeToken(
  tx: CommandTx,
  input: { purpose: OneTimeTokenPurpose; userId: string; membershipId?: string | null; orgId?: string | null; newEmail?: string | null; ttlSeconds: number },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = generateSecret();
  const [row] = await tx
    .insert(oneTimeTokens)
    .values({
      purpose: input.purpose,
      tokenHash: hashSecret(token),
      userId: input.userId,
      membershipId: input.membershipId ?? null,
      orgId: input.orgId ?? null,
      newEmail: input.newEmail ?? null,
      expiresAt: sql`now() + make_interval(secs => ${input.ttlSeconds})`,
    })
    .returning({ id: oneTimeTokens.id, expiresAt: oneTimeTokens.expiresAt });
  return { id: row!.id, token, expiresAt: row!.expiresAt };
}

/**
 * Finds a live link by the hash of its secret without using it up, so a page can say whose
 * link it is and a weak new password does not burn the link.
 */
export async function findLiveToken(tx: Executor, token: string, purpose: OneTimeTokenPurpose) {
  const [row] = await tx
    .select({ id: oneTimeTokens.id, userId: oneTimeTokens.userId, membershipId: oneTimeTokens.membershipId, orgId: oneTimeTokens.orgId, newEmail: oneTimeTokens.newEmail })
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, hashSecret(token)), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)));
  return row ?? null;
}

/**
 * Uses a link up in one conditional UPDATE: of two requests racing with the same link, the
 * second waits on the row lock, then finds used_at set and gets nothing back.
 */
export async function consumeToken(tx: CommandTx, token: string, purpose: OneTimeTokenPurpose) {
  const [row] = await tx
    .update(oneTimeTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(oneTimeTokens.tokenHash, hashSecret(token)), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)))
    .returning({ id: oneTimeTokens.id, userId: oneTimeTokens.userId, membershipId: oneTimeTokens.membershipId, orgId: oneTimeTokens.orgId, newEmail: oneTimeTokens.newEmail });
  return row ?? null;
}
