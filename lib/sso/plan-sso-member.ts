import { and, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { grants, memberships, scimUsers, ssoDomainOwners, ssoDomains, ssoIdentities, ssoMappedGrants, ssoMappings, users } from "@/db/schema";
import { emailDomain } from "@/lib/identity/email-domain";
import type { SsoConnectionRow } from "./load-connection";
import { defaultClaimMapping, type Preset } from "./presets";
import { ssoRefusal, type SsoProfile } from "./read-sso-claims";

export interface GrantKey {
  roleId: string;
  branchId: string | null;
}

/** Everything a sign-in will write, decided before it writes anything (so a refusal writes nothing). */
export interface SsoMemberPlan {
  user: { id: string; email: string; name: string } | { create: { email: string; name: string } };
  identityId: string | null;
  membership: { id: string; status: "active" | "invited" } | null;
  desired: GrantKey[];
  mapped: Array<GrantKey & { grantId: string }>;
}

const keyOf = (g: GrantKey) => `${g.roleId}/${g.branchId ?? ""}`;
export { keyOf as grantKeyOf };

/**
 * Who this is, and what they get. An identity is found by (connection, subject) only. A new one
 * is created just in time only for an address at a domain this org has verified and routed to
 * this connection, and never onto an existing account: an email match is not proof that the IdP's
 * person owns that account, so linking is a separate, deliberate step (docs/adr/0014).
 */
export async function planSsoMember(tx: Executor, connection: SsoConnectionRow, profile: SsoProfile): Promise<SsoMemberPlan> {
  // A returning person's identity, account, membership here and rule-owned grants, and the
  // connection's rules: independent reads, sent together in one round trip (postgres.js
  // pipelines a transaction's queries). The refusals below keep their order.
  const [[known], mappedIfKnown, rules] = await Promise.all([
    tx
      .select({ identityId: ssoIdentities.id, user: users, membershipId: memberships.id, membershipStatus: memberships.status })
      .from(ssoIdentities)
      .leftJoin(users, eq(users.id, ssoIdentities.userId))
      .leftJoin(memberships, and(eq(memberships.orgId, connection.orgId), eq(memberships.userId, ssoIdentities.userId)))
      .where(and(eq(ssoIdentities.connectionId, connection.id), eq(ssoIdentities.subject, profile.subject))),
    tx
      .select({ grantId: grants.id, roleId: grants.roleId, branchId: grants.branchId })
      .from(grants)
      .innerJoin(ssoMappedGrants, eq(ssoMappedGrants.grantId, grants.id))
      .innerJoin(memberships, eq(memberships.id, grants.membershipId))
      .innerJoin(ssoIdentities, and(eq(ssoIdentities.userId, memberships.userId), eq(ssoIdentities.connectionId, connection.id), eq(ssoIdentities.subject, profile.subject)))
      .where(and(eq(memberships.orgId, connection.orgId), eq(ssoMappedGrants.connectionId, connection.id))),
    loadMappingRules(tx, connection),
  ]);
  let user: SsoMemberPlan["user"];
  let provisioned: { id: string; status: string } | null = null;
  if (known) {
    const found = known.user;
    if (!found) throw ssoRefusal("identity-without-user", { subject: profile.subject });
    if (found.disabledAt) throw ssoRefusal("user-disabled", { subject: profile.subject, email: found.email });
    user = { id: found.id, email: found.email, name: found.name };
  } else {
    if (!profile.email) throw ssoRefusal("no-email", { subject: profile.subject });
    const domain = emailDomain(profile.email);
    const [routed] = await tx
      .select({ id: ssoDomains.id })
      .from(ssoDomains)
      .innerJoin(ssoDomainOwners, and(eq(ssoDomainOwners.domain, ssoDomains.domain), eq(ssoDomainOwners.orgId, connection.orgId)))
      .where(and(eq(ssoDomains.connectionId, connection.id), eq(ssoDomains.domain, domain), isNotNull(ssoDomains.verifiedAt)));
    if (!routed) throw ssoRefusal("domain-not-verified", { subject: profile.subject, email: profile.email, domain });
    const [existing] = await tx.select({ id: users.id, email: users.email, name: users.name, disabledAt: users.disabledAt }).from(users).where(eq(sql`lower(${users.email})`, profile.email));
    // The one account an email may reach: the one this org's own SCIM provisioned with that
    // sign-in email at a domain this org has verified (ADR 0025); any other needs linking.
    provisioned = existing ? await findScimProvisioned(tx, connection.orgId, existing.id, profile.email) : null;
    if (existing && !provisioned) throw ssoRefusal("account-exists-link-required", { subject: profile.subject, email: profile.email });
    if (existing?.disabledAt) throw ssoRefusal("user-disabled", { subject: profile.subject, email: existing.email });
    user = existing ? { id: existing.id, email: existing.email, name: existing.name } : { create: { email: profile.email, name: profile.name ?? profile.email.slice(0, profile.email.indexOf("@")) } };
  }

  // A new account has no membership anywhere yet; a known one's was read above.
  const membership = known?.membershipId ? { id: known.membershipId, status: known.membershipStatus! } : provisioned;
  // A member the org deactivated stays out, whatever the IdP says.
  if (membership?.status === "deactivated") throw ssoRefusal("member-deactivated", { subject: profile.subject });

  const desired = grantsFromRules(rules, connection, profile);
  // SCIM owns a provisioned member's grants (its groups), so no rule needs to match here.
  if (desired.length === 0 && !provisioned) throw ssoRefusal("no-mapping-rule", { subject: profile.subject, groups: profile.groups });
  const mapped = membership ? mappedIfKnown : [];
  return { user, identityId: known?.identityId ?? null, membership: membership ? { id: membership.id, status: membership.status as "active" | "invited" } : null, desired, mapped };
}

/** The SCIM-provisioned membership (in this org, live) whose account signs in with this email, or null. */
async function findScimProvisioned(tx: Executor, orgId: string, userId: string, email: string): Promise<{ id: string; status: string } | null> {
  const [row] = await tx
    .select({ id: memberships.id, status: memberships.status })
    .from(scimUsers)
    .innerJoin(memberships, eq(memberships.id, scimUsers.membershipId))
    .where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.userId, userId), isNull(scimUsers.deletedAt), eq(sql`lower(${scimUsers.signInEmail})`, email.toLowerCase()), eq(memberships.orgId, orgId)));
  return row ?? null;
}

function loadMappingRules(tx: Executor, connection: SsoConnectionRow) {
  return tx.select().from(ssoMappings).where(and(eq(ssoMappings.orgId, connection.orgId), eq(ssoMappings.connectionId, connection.id)));
}

/** The (role, branch) pairs the rules give these claims, or the connection's default when none match. */
export async function desiredGrants(tx: Executor, connection: SsoConnectionRow, profile: SsoProfile): Promise<GrantKey[]> {
  return grantsFromRules(await loadMappingRules(tx, connection), connection, profile);
}

function grantsFromRules(rules: Array<typeof ssoMappings.$inferSelect>, connection: SsoConnectionRow, profile: SsoProfile): GrantKey[] {
  const groupsClaim = { ...defaultClaimMapping(connection.preset as Preset), ...connection.claimMapping }.groups;
  const found = new Map<string, GrantKey>();
  for (const rule of rules) {
    const values = rule.claim === groupsClaim ? profile.groups : claimValues(profile.claims[rule.claim]);
    if (values.includes(rule.value)) found.set(keyOf(rule), { roleId: rule.roleId, branchId: rule.branchId });
  }
  if (found.size === 0 && connection.defaultRoleId) return [{ roleId: connection.defaultRoleId, branchId: connection.defaultBranchId }];
  return [...found.values()];
}

function claimValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value === undefined || value === null) return [];
  return [String(value)];
}
