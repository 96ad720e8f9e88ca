import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { ssoConnections, ssoIdentities } from "@/db/schema";
import { holdsAnywhere } from "@/lib/access/access";
import type { Principal } from "@/lib/core/context";

export interface MemberIdentity {
  id: string;
  connectionName: string;
  subject: string;
  linkedAt: Date;
  lastSignInAt: Date | null;
}

/**
 * A member's identities at the org's own connections, for the member's page: only for those who
 * manage SSO (sso:manage), since subjects are the IdP's identifiers. Null when the viewer may not.
 */
export async function listMemberIdentities(tx: Executor, principal: Principal, userId: string): Promise<MemberIdentity[] | null> {
  const orgId = principal.org?.id;
  if (!orgId || !holdsAnywhere(principal.access, "sso:manage")) return null;
  return tx
    .select({ id: ssoIdentities.id, connectionName: ssoConnections.name, subject: ssoIdentities.subject, linkedAt: ssoIdentities.createdAt, lastSignInAt: ssoIdentities.lastSignInAt })
    .from(ssoIdentities)
    .innerJoin(ssoConnections, eq(ssoConnections.id, ssoIdentities.connectionId))
    .where(and(eq(ssoIdentities.orgId, orgId), eq(ssoIdentities.userId, userId)))
    .orderBy(asc(ssoConnections.name), asc(ssoIdentities.id))
    .limit(100);
}
