import { and, eq, inArray, sql } from "drizzle-orm";
import { grants, memberships, ssoIdentities, ssoMappedGrants, users } from "@/db/schema";
import type { CommandTx } from "@/lib/core/command-tx";
import type { SsoConnectionRow } from "./load-connection";
import { grantKeyOf, type SsoMemberPlan } from "./plan-sso-member";

export interface AppliedSsoMember {
  userId: string;
  email: string;
  name: string;
  membershipId: string;
  created: { user: boolean; identity: boolean; membership: boolean };
  granted: number;
  removed: number;
}

/**
 * Writes a plan: the user, identity and membership just in time, and the grants the mapping
 * rules own brought to what the claims say now. Grants given by hand are never touched: only
 * rows listed in sso_mapped_grants for this connection are removed.
 */
export async function applySsoMember(tx: CommandTx, connection: SsoConnectionRow, subject: string, plan: SsoMemberPlan): Promise<AppliedSsoMember> {
  let user: { id: string; email: string; name: string };
  if ("create" in plan.user) {
    const [row] = await tx.insert(users).values({ email: plan.user.create.email, name: plan.user.create.name, passwordHash: null }).returning({ id: users.id, email: users.email, name: users.name });
    user = row!;
  } else {
    user = plan.user;
  }
  if (plan.identityId) {
    await tx.update(ssoIdentities).set({ lastSignInAt: sql`now()` }).where(eq(ssoIdentities.id, plan.identityId));
  } else {
    await tx.insert(ssoIdentities).values({ orgId: connection.orgId, connectionId: connection.id, subject, userId: user.id, lastSignInAt: sql`now()` });
  }
  let membershipId: string;
  if (plan.membership) {
    membershipId = plan.membership.id;
    // Signing in through the org's own IdP is the person accepting its membership.
    if (plan.membership.status === "invited") await tx.update(memberships).set({ status: "active", invitedEmail: null, invitedName: null }).where(eq(memberships.id, membershipId));
  } else {
    const [row] = await tx.insert(memberships).values({ orgId: connection.orgId, userId: user.id, status: "active" }).returning({ id: memberships.id });
    membershipId = row!.id;
  }
  const wanted = new Set(plan.desired.map(grantKeyOf));
  const have = new Set(plan.mapped.map(grantKeyOf));
  const stale = plan.mapped.filter((g) => !wanted.has(grantKeyOf(g))).map((g) => g.grantId);
  if (stale.length > 0) await tx.delete(grants).where(and(eq(grants.orgId, connection.orgId), inArray(grants.id, stale)));
  const missing = plan.desired.filter((g) => !have.has(grantKeyOf(g)));
  for (const grant of missing) {
    const [row] = await tx.insert(grants).values({ orgId: connection.orgId, membershipId, roleId: grant.roleId, branchId: grant.branchId }).returning({ id: grants.id });
    await tx.insert(ssoMappedGrants).values({ grantId: row!.id, orgId: connection.orgId, connectionId: connection.id });
  }
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    membershipId,
    created: { user: "create" in plan.user, identity: !plan.identityId, membership: !plan.membership },
    granted: missing.length,
    removed: stale.length,
  };
}
