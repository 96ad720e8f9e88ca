import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accounts, branches, intakeChannels, organizations } from "@/db/schema";
import { NotFoundError, ValidationError } from "@/lib/core/errors";

/** The supplier's account named by its org slug, or a validation error naming the field (inside the supplier scope). */
export async function resolveAccount(tx: Tx, supplierId: string, slug: string, field = "account"): Promise<{ id: string; slug: string; name: string }> {
  const [row] = await tx
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(accounts)
    .innerJoin(organizations, eq(organizations.id, accounts.orgId))
    .where(and(eq(organizations.slug, slug), eq(accounts.supplierId, supplierId)));
  if (!row) throw new ValidationError({ [field]: [`no account "${slug}" is open with the supplier`] });
  return row;
}

/** A branch of that account (never of another org): a mapping may only route orders into its own account. */
export async function assertBranchOfAccount(tx: Tx, accountId: string, branchId: string, field = "branchId"): Promise<void> {
  const [row] = await tx.select({ id: branches.id }).from(branches).where(and(eq(branches.id, branchId), eq(branches.orgId, accountId)));
  if (!row) throw new ValidationError({ [field]: ["is not a branch of that account"] });
}

/** One of the supplier's channels, or 404: an id from another org names nothing. */
export async function loadChannel(tx: Tx, supplierId: string, channelId: string) {
  const [row] = await tx.select().from(intakeChannels).where(and(eq(intakeChannels.id, channelId), eq(intakeChannels.orgId, supplierId)));
  if (!row) throw new NotFoundError("Channel");
  return row;
}
