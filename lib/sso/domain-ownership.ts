import { and, eq, sql } from "drizzle-orm";
import { ssoDomainOwners, ssoDomains } from "@/db/schema";
import type { CommandTx } from "@/lib/core/command-tx";
import { ConflictError } from "@/lib/core/errors";

/**
 * Marks a claimed domain verified and makes the org its owner. One org owns a domain: a second
 * org that proves the same domain is refused (ownership moves only when the first lets go).
 * sso_domain_owners' primary key decides a race; under row-level security another org's row is
 * invisible, so "inserted nothing and we cannot see it" means someone else holds it.
 */
export async function claimVerifiedDomain(tx: CommandTx, orgId: string, domainId: string, domain: string, verifiedBy: "dns" | "operator"): Promise<void> {
  await tx.insert(ssoDomainOwners).values({ domain, orgId }).onConflictDoNothing();
  const [owner] = await tx.select({ orgId: ssoDomainOwners.orgId }).from(ssoDomainOwners).where(eq(ssoDomainOwners.domain, domain));
  if (owner?.orgId !== orgId) throw new ConflictError("Another organization has already verified this domain.", "domain");
  await tx.update(ssoDomains).set({ verifiedAt: sql`now()`, verifiedBy }).where(and(eq(ssoDomains.id, domainId), eq(ssoDomains.orgId, orgId)));
}
