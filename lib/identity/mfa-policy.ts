import { and, count, eq, isNotNull, isNull } from "drizzle-orm";
import { getDb, type Db, type Executor, type Tx } from "@/db/client";
import { memberships, organizations, recoveryCodes, totpFactors, webauthnCredentials } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { holdsAnywhere, type Access } from "@/lib/access/access";
import { loadAccess } from "@/lib/access/load-access";
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
  const rows = await tx
    .select({ membershipId: memberships.id, requireMfa: organizations.requireMfa })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), eq(memberships.status, "active")));
  if (rows.some((r) => r.requireMfa)) return true;
  for (const row of rows) {
    if (isMfaDueIn(await loadAccess(tx, row.membershipId), false)) return true;
  }
  return false;
}

/** The person's own second factors, read as them (their account pages). */
export function listOwnMfaFactors(userId: string, db: Db = getDb()) {
  return withTenantScope({ orgId: null, userId, bypass: false }, (tx) => listMfaFactors(tx, userId), db);
}
