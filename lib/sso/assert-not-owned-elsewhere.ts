import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { ForbiddenError } from "@/lib/core/errors";
import { emailDomain, findDomainOwner } from "@/lib/identity/account-ownership";

/**
 * An account whose email domain another org has verified belongs to that org (its IdP signs it
 * in, its deprovisioning ends its sessions): linking it to this org's IdP would open a way in
 * that the owner cannot close. Domain owners are read across orgs (the command's own scope sees
 * only this org's rows), outside the command's transaction: a read of two small rows.
 */
export async function assertNotOwnedElsewhere(userId: string, orgId: string): Promise<void> {
  const owner = await withTenantScope({ orgId: null, userId: null, bypass: true }, async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    return user ? findDomainOwner(tx, emailDomain(user.email)) : null;
  });
  if (owner && owner !== orgId) throw new ForbiddenError("Your account's email domain belongs to another organization: only that organization's identity provider, or its administrator, can be linked to it.");
}
