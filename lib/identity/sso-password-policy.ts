import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ssoDomainOwners, ssoPolicies } from "@/db/schema";
import { emailDomain } from "./email-domain";

/**
 * Whether password sign-in is refused for this account: the org that owns its email domain
 * requires SSO, and the person is not one of its named break-glass members (who may, loudly).
 */
export async function passwordSignInPolicy(db: Executor, userId: string, email: string): Promise<{ orgId: string; breakGlass: boolean } | null> {
  // Not through account-ownership.ts, so a test that stubs ownership keeps sign-in as it is.
  const [row] = await db.select({ orgId: ssoDomainOwners.orgId }).from(ssoDomainOwners).where(eq(ssoDomainOwners.domain, emailDomain(email)));
  const owner = row?.orgId;
  if (!owner) return null;
  const [policy] = await db.select().from(ssoPolicies).where(eq(ssoPolicies.orgId, owner));
  if (!policy?.requireSso) return null;
  return { orgId: owner, breakGlass: policy.breakGlassUserIds.includes(userId) };
}
