import { and, count, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import { getDb, type Db, type Executor, type Tx } from "@/db/client";
import { grants, memberships, organizations, recoveryCodes, roleInherits, roles, totpFactors, webauthnCredentials } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { holdsAnywhere, type Access } from "@/lib/access/access";
import { adminClassPermissions } from "@/lib/access/admin-class";

// Who must use a second factor, and which factors a person has. It lives with identity (not
// lib/mfa) because sign-in and the principal loader decide with it; lib/mfa builds on identity,
// never the other way round (tests/architecture/module-direction.test.ts).

export interface MfaFactors {
  totp: boolean;
  passkeys: number;
  recoveryCodesLeft: number;
}

/** The second factors a user has set up (a TOTP counts once confirmed). */
export async function listMfaFactors(db: Executor, userId: string): Promise<MfaFactors> {
  const [[totp], [passkeys], [codes]] = await Promise.all([
    db.select({ n: count() }).from(totpFactors).where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt))),
    db.select({ n: count() }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)),
    db.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
  ]);
  return { totp: (totp?.n ?? 0) > 0, passkeys: passkeys?.n ?? 0, recoveryCodesLeft: codes?.n ?? 0 };
}

/** Recovery codes back up a factor; they are not one on their own. */
export function hasSecondFactor(factors: MfaFactors): boolean {
  return factors.totp || factors.passkeys > 0;
}

/** MFA is due for a member in one org: they hold an admin-class permission there, or the org requires it of everyone. */
export function isMfaDueIn(access: Access, orgRequiresMfa: boolean): boolean {
  return orgRequiresMfa || adminClassPermissions.some((p) => holdsAnywhere(access, p));
}

/**
 * MFA is required for anyone who holds an admin-class permission in any org where they are an
 * active member, and for every member of an org that requires it for everyone. The rule lives in
 * isMfaRequiredIn; it spans the person's orgs, so it runs in one transaction that may look across
 * them (every query in it filters by this user).
 */
export function isMfaRequired(userId: string, db: Db = getDb()): Promise<boolean> {
  return withTenantScope({ orgId: null, userId, bypass: true }, (tx) => isMfaRequiredIn(tx, userId), db);
}

/**
 * The same rule read on a transaction that already sees across orgs (sign-in's). Asking the pool
 * for a second connection while holding one deadlocks it once every connection waits so.
 */
export async function isMfaRequiredIn(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx.execute<{ required: boolean }>(sql`select ${mfaRequiredSql(userId)} as required`);
  return row?.required === true;
}

/**
 * The rule as one SQL expression, so sign-in decides it in the statement that also reads the
 * person's factors: an active membership in an org that requires MFA, or an unexpired grant
 * whose role, or any role it inherits (the recursive walk of role_inherits), carries an
 * admin-class permission. The same answer as isMfaDueIn over each org's loaded access.
 */
export function mfaRequiredSql(userId: string): SQL<boolean> {
  const adminClass = sql`array[${sql.join(adminClassPermissions.map((p) => sql`${p}`), sql`, `)}]::text[]`;
  return sql<boolean>`(
    exists (select 1 from ${memberships} m join ${organizations} o on o.id = m.org_id where m.user_id = ${userId} and m.status = 'active' and o.require_mfa)
    or exists (
      with recursive held(role_id) as (
        select g.role_id from ${grants} g join ${memberships} m on m.id = g.membership_id
        where m.user_id = ${userId} and m.status = 'active' and (g.expires_at is null or g.expires_at > now())
        union
        select e.inherits_role_id from ${roleInherits} e join held on e.role_id = held.role_id
      )
      select 1 from held join ${roles} r on r.id = held.role_id where r.permissions && ${adminClass}
    ))`;
}

/** Whether the person has a second factor (a confirmed TOTP or a passkey), as one SQL expression. */
export function hasSecondFactorSql(userId: string): SQL<boolean> {
  return sql<boolean>`(exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${userId} and ${totpFactors.confirmedAt} is not null)
    or exists (select 1 from ${webauthnCredentials} where ${webauthnCredentials.userId} = ${userId}))`;
}

/** The person's own second factors, read as them (their account pages). */
export function listOwnMfaFactors(userId: string, db: Db = getDb()) {
  return withTenantScope({ orgId: null, userId, bypass: false }, (tx) => listMfaFactors(tx, userId), db);
}
