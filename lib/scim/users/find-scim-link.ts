import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { scimUsers } from "@/db/schema";

/**
 * For the member page: whether the IdP provisions this membership over SCIM, and whether the
 * person has no sign-in email of their own (ADR 0025: no valid address, or a mailbox another
 * SCIM User signs in with), so they sign in through the org's SSO only. Null: not SCIM's.
 * The caller has already loaded the member within its scope; this reads its org's rows only.
 */
export async function findScimLink(db: Executor, orgId: string, membershipId: string): Promise<{ userName: string; ssoOnly: boolean } | null> {
  const [row] = await db
    .select({ userName: scimUsers.userName, signInEmail: scimUsers.signInEmail })
    .from(scimUsers)
    .where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.membershipId, membershipId), isNull(scimUsers.deletedAt)));
  return row ? { userName: row.userName, ssoOnly: row.signInEmail === null } : null;
}
