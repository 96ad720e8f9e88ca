import { and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ssoDomainOwners, users } from "@/db/schema";
import { emailDomain } from "./email-domain";

/**
 * Whether an organization owns a person's account: only then may its administrators reach what
 * belongs to the person rather than to one membership (their sessions in every org, their
 * password, their second-factor block, their global session count).
 *
 * An org owns the accounts whose email domain it has verified for SSO (a DNS TXT record, or the
 * operator's override: lib/sso/verify-domain.ts, docs/adr/0014-enterprise-sso.md). The address
 * is read as it is now: someone who moves their account to another domain leaves the owner.
 * Here rather than in lib/sso, which builds on lib/identity, never the other way round.
 */
export async function orgOwnsAccount(db: Executor, orgId: string, userId: string): Promise<boolean> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return user ? orgOwnsDomain(db, orgId, emailDomain(user.email)) : false;
}

export { emailDomain };

/** Whether the org has verified this email domain (sso_domain_owners). */
export async function orgOwnsDomain(db: Executor, orgId: string, domain: string): Promise<boolean> {
  if (!domain) return false;
  const [row] = await db.select({ orgId: ssoDomainOwners.orgId }).from(ssoDomainOwners).where(and(eq(ssoDomainOwners.domain, domain), eq(ssoDomainOwners.orgId, orgId)));
  return Boolean(row);
}

/** The org that owns this domain, if any (for the authentication step, which reads across orgs). */
export async function findDomainOwner(db: Executor, domain: string): Promise<string | null> {
  if (!domain) return null;
  const [row] = await db.select({ orgId: ssoDomainOwners.orgId }).from(ssoDomainOwners).where(eq(ssoDomainOwners.domain, domain));
  return row?.orgId ?? null;
}
