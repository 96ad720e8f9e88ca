import { and, eq } from "drizzle-orm";
import { ssoIdentities } from "@/db/schema";
import type { CommandTx } from "@/lib/core/command-tx";
import { ConflictError } from "@/lib/core/errors";

/**
 * The one place an account is linked to an identity (connection, subject), for the administrator's
 * link and the person's own. An identity belongs to one account: linked elsewhere it is refused,
 * never moved. An account has at most one identity per connection. The unique index decides a
 * race between two links of the same identity.
 */
export async function insertIdentityLink(tx: CommandTx, link: { orgId: string; connectionId: string; subject: string; userId: string }): Promise<string> {
  const [taken] = await tx.select({ userId: ssoIdentities.userId }).from(ssoIdentities).where(and(eq(ssoIdentities.connectionId, link.connectionId), eq(ssoIdentities.subject, link.subject)));
  if (taken) throw new ConflictError(taken.userId === link.userId ? "That identity is already linked to this account." : "That identity is already linked to another account.", "subject");
  const [own] = await tx.select({ id: ssoIdentities.id }).from(ssoIdentities).where(and(eq(ssoIdentities.connectionId, link.connectionId), eq(ssoIdentities.userId, link.userId)));
  if (own) throw new ConflictError("That account already has an identity at this connection; remove it first.", "connectionId");
  const [row] = await tx.insert(ssoIdentities).values(link).onConflictDoNothing().returning({ id: ssoIdentities.id });
  if (!row) throw new ConflictError("That identity is already linked to another account.", "subject");
  return row.id;
}

/** Who holds an identity already (null: nobody), for a refusal before a round trip's result is kept. */
export async function identityHolder(tx: CommandTx, connectionId: string, subject: string): Promise<string | null> {
  const [row] = await tx.select({ userId: ssoIdentities.userId }).from(ssoIdentities).where(and(eq(ssoIdentities.connectionId, connectionId), eq(ssoIdentities.subject, subject)));
  return row?.userId ?? null;
}
