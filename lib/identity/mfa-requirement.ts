import { sql } from "drizzle-orm";
import { getDb, type Db, type Tx } from "@/db/client";
import { grants, memberships, organizations, roleInherits, roles } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { adminClassPermissions } from "@/lib/access/admin-class";

/**
 * Why two-step verification is required of a person, so a message can say so truly: the orgs
 * that require it of every member, and the roles (with their org) that carry an admin-class
 * permission. The same rule as mfaRequiredSql, read as its reasons.
 */
export interface MfaRequirement {
  orgPolicies: string[];
  adminRoles: Array<{ role: string; org: string }>;
}

export async function readMfaRequirementIn(tx: Tx, userId: string): Promise<MfaRequirement> {
  const adminClass = sql`array[${sql.join(adminClassPermissions.map((p) => sql`${p}`), sql`, `)}]::text[]`;
  const policies = await tx.execute<{ name: string }>(sql`select o.name from ${memberships} m join ${organizations} o on o.id = m.org_id
    where m.user_id = ${userId} and m.status = 'active' and o.require_mfa order by o.name limit 5`);
  const held = await tx.execute<{ role: string; org: string }>(sql`with recursive held(role_id, org_id) as (
      select g.role_id, m.org_id from ${grants} g join ${memberships} m on m.id = g.membership_id
      where m.user_id = ${userId} and m.status = 'active' and (g.expires_at is null or g.expires_at > now())
      union
      select e.inherits_role_id, held.org_id from ${roleInherits} e join held on e.role_id = held.role_id
    )
    select distinct r.name as role, o.name as org from held join ${roles} r on r.id = held.role_id join ${organizations} o on o.id = held.org_id
    where r.permissions && ${adminClass} order by o.name, r.name limit 5`);
  return { orgPolicies: [...policies].map((r) => r.name), adminRoles: [...held].map((r) => ({ role: r.role, org: r.org })) };
}

/** The person's own requirement, read across their orgs (their memberships and grants only). */
export function readMfaRequirement(userId: string, db: Db = getDb()): Promise<MfaRequirement> {
  return withTenantScope({ orgId: null, userId, bypass: true }, (tx) => readMfaRequirementIn(tx, userId), db);
}

/** "Acme requires two-step verification of every member." or "Your role needs two-step verification: Admin at Acme …" */
export function describeMfaRequirement(requirement: MfaRequirement): string {
  if (requirement.orgPolicies.length > 0) return `${listNames(requirement.orgPolicies)} ${requirement.orgPolicies.length === 1 ? "requires" : "require"} two-step verification of every member.`;
  const first = requirement.adminRoles[0];
  if (first) {
    const more = requirement.adminRoles.length > 1 ? ", among others," : "";
    return `Your role needs two-step verification: ${first.role} at ${first.org}${more} can change who may do what.`;
  }
  return "Two-step verification is required for your account.";
}

function listNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
