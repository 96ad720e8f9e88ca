import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ssoDomainOwners, ssoPolicies } from "@/db/schema";
import { emailDomain } from "./email-domain";

/**
 * Whether password sign-in is refused for this account: the org that owns its email domain
 * requires SSO, and the person is not one of its named break-glass members (who may, loudly).
 * As two select-list expressions, so sign-in reads them in the statement it already makes:
 * `ssoOwner` (the owning org when it requires SSO, else null) and `breakGlass`.
 */
export function passwordSignInPolicySql(userId: string, email: string): { ssoOwner: SQL<string | null>; breakGlass: SQL<boolean> } {
  // Not through account-ownership.ts, so a test that stubs ownership keeps sign-in as it is.
  const requiring = sql`from ${ssoDomainOwners} join ${ssoPolicies} on ${ssoPolicies.orgId} = ${ssoDomainOwners.orgId}
    where ${ssoDomainOwners.domain} = ${emailDomain(email)} and ${ssoPolicies.requireSso}`;
  return {
    ssoOwner: sql<string | null>`(select ${ssoDomainOwners.orgId} ${requiring})`,
    breakGlass: sql<boolean>`exists (select 1 ${requiring} and ${userId}::uuid = any(${ssoPolicies.breakGlassUserIds}))`,
  };
}

/** The same rule on its own (accepting an invitation): the owning org requiring SSO, and whether the person is its break-glass member. */
export async function passwordSignInPolicy(db: Executor, userId: string, email: string): Promise<{ orgId: string; breakGlass: boolean } | null> {
  const policy = passwordSignInPolicySql(userId, email);
  const [row] = await db.execute<{ ssoOwner: string | null; breakGlass: boolean }>(sql`select ${policy.ssoOwner} as "ssoOwner", ${policy.breakGlass} as "breakGlass"`);
  return row?.ssoOwner ? { orgId: row.ssoOwner, breakGlass: row.breakGlass } : null;
}
