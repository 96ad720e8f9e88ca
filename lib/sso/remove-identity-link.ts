import { and, eq, inArray, ne } from "drizzle-orm";
import { branches, grants, memberships, roles, ssoConnections, ssoIdentities, ssoMappedGrants, users } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import type { CommandTx } from "@/lib/core/command-tx";

export interface IdentityRow {
  id: string;
  orgId: string;
  connectionId: string;
  connectionName: string;
  subject: string;
  userId: string;
}

/** One identity in one org (another org's id reads as missing), for the person's own unlink (`userId`) or an admin's. */
export async function findOrgIdentity(tx: CommandTx, orgId: string, identityId: string, userId?: string): Promise<IdentityRow | null> {
  const [row] = await tx
    .select({ id: ssoIdentities.id, orgId: ssoIdentities.orgId, connectionId: ssoIdentities.connectionId, connectionName: ssoConnections.name, subject: ssoIdentities.subject, userId: ssoIdentities.userId })
    .from(ssoIdentities)
    .innerJoin(ssoConnections, eq(ssoConnections.id, ssoIdentities.connectionId))
    .where(and(eq(ssoIdentities.id, identityId), eq(ssoIdentities.orgId, orgId), ...(userId ? [eq(ssoIdentities.userId, userId)] : [])));
  return row ?? null;
}

/**
 * Whether the account could still sign in without this identity: a password of its own, or
 * another identity (at any org's connection). An account SSO made has neither, and unlinking its
 * only identity would strand it; deactivating or removing the member is the tool for that.
 */
export async function hasAnotherWayIn(tx: CommandTx, identity: IdentityRow): Promise<boolean> {
  // The account's row is locked first, so two unlinks of its last two identities (in two orgs)
  // take turns: the second reads the first's removal once it holds the lock.
  const [user] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, identity.userId)).for("update");
  if (user?.passwordHash) return true;
  // Read across orgs (an identity at another org's connection is a way in too), outside the
  // command's transaction, whose scope sees this org's rows only.
  const others = await withTenantScope({ orgId: null, userId: null, bypass: true }, (db) =>
    db.select({ id: ssoIdentities.id }).from(ssoIdentities).where(and(eq(ssoIdentities.userId, identity.userId), ne(ssoIdentities.id, identity.id))).limit(1),
  );
  return others.length > 0;
}

/**
 * Removes the identity, and with it the grants this connection's mapping rules gave the person in
 * the org: they exist only because the IdP said so, and once unlinked the IdP can no longer take
 * them away (its next sign-in, or its deprovisioning, no longer reaches this account). Grants
 * given by hand stay. Returns what was removed, for the audit event.
 */
export async function removeIdentityLink(tx: CommandTx, identity: IdentityRow): Promise<Array<{ role: string; branch: string }>> {
  const mapped = await tx
    .select({ id: grants.id, role: roles.name, branch: branches.name })
    .from(grants)
    .innerJoin(ssoMappedGrants, and(eq(ssoMappedGrants.grantId, grants.id), eq(ssoMappedGrants.connectionId, identity.connectionId)))
    .innerJoin(memberships, and(eq(memberships.id, grants.membershipId), eq(memberships.orgId, identity.orgId), eq(memberships.userId, identity.userId)))
    .innerJoin(roles, eq(roles.id, grants.roleId))
    .leftJoin(branches, eq(branches.id, grants.branchId))
    .where(eq(grants.orgId, identity.orgId));
  if (mapped.length > 0) await tx.delete(grants).where(and(eq(grants.orgId, identity.orgId), inArray(grants.id, mapped.map((g) => g.id))));
  await tx.delete(ssoIdentities).where(and(eq(ssoIdentities.id, identity.id), eq(ssoIdentities.orgId, identity.orgId)));
  return mapped.map((g) => ({ role: g.role, branch: g.branch ?? "(organization)" }));
}
