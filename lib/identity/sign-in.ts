import { eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { rawSqlOf } from "@/db/raw-client";
import { activeOrgIdsSql } from "@/lib/audit/fan-out-sign-in";
import { defineCommand } from "@/lib/core/command";
import type { CommandTx } from "@/lib/core/command-tx";
import { RateLimitedError, UnauthorizedError } from "@/lib/core/errors";
import { passwordSignInPolicySql } from "./sso-password-policy";
import { hasSecondFactorSql, mfaRequiredSql } from "./mfa-policy";
import { accountKey, checkUnlessThrottled, ipKey } from "./checks/throttle";
import { verifyPassword } from "./passwords";
import type { PendingSignIn } from "./resolve-session";
import { signInSchema } from "./schemas";
import { openSession } from "./open-session";

// One message for every failure, so the response never tells which part was wrong.
export const GENERIC_SIGN_IN_FAILURE = "Incorrect email or password.";
export const SSO_REQUIRED = "Your organization signs in with single sign-on: use \"Continue with SSO\".";

/**
 * Checks a password and opens a database session; the caller puts the token in a cookie. When
 * the person has a second factor, or policy requires one they have not set up, the session is
 * opened "pending" (short-lived, good only for the second-factor or enrollment page).
 */
export const signInCommand = defineCommand({
  name: "auth.signin.succeeded",
  description: "Someone passed the password step and a session was opened; `pending` says whether a second factor (`mfa`) or MFA enrollment (`enrollment`) is still due; `breakGlass: true` marks a break-glass member signing in with a password where the owning org (`ssoRequiredBy`) requires SSO. A wrong password, an unknown email, a disabled user, one with neither an active membership nor an invitation to accept, an account whose owning org requires SSO (`sso-required`), or an attempt while throttled records the denied action instead, with the reason in its metadata. Both are filed in the trail of every organization where the person is an active member (one event per organization's chain); an unknown email, or a person with no active membership, under no organization (the global chain).",
  deniedAction: "auth.signin.failed",
  access: "public",
  input: signInSchema,
  async run({ tx, meta }, input) {
    // The user and whether they belong anywhere, in one statement, sent with the throttle's
    // count and slot claim (one round trip): a read, wasted only when the attempt is throttled.
    // An invitation counts: someone with an account accepts one signed in (accept-invitation.ts).
    const userRead = tx
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        passwordHash: users.passwordHash,
        disabledAt: users.disabledAt,
        // Spelled out: inside a select list drizzle names columns without their table.
        belongs: sql<boolean>`exists (select 1 from memberships m where m.user_id = "users"."id" and m.status in ('active', 'invited'))`,
      })
      .from(users)
      .where(eq(sql`lower(${users.email})`, input.email.toLowerCase()))
      .execute();
    userRead.catch(() => undefined);
    let opened: Promise<{ id: string; token: string }> | null = null;
    const user = await checkUnlessThrottled(tx, [accountKey(input.email), ipKey(meta.ip)], async () => {
      const [found] = await userRead;
      // The policy depends on who, not on the password, and its reads change nothing, so it is
      // read while the hash runs (the hash takes ~10 ms on libuv's pool; the statement ~1.4 ms
      // of planning and a round trip). A wrong password throws before it is awaited: its
      // rejection is caught here so it cannot go unhandled, and it left nothing to commit.
      const policyRead = found ? readPolicy(tx, found.id, found.email) : null;
      policyRead?.catch(() => undefined);
      const passwordOk = await verifyPassword(found?.passwordHash, input.password);
      if (!found || !passwordOk) throw new UnauthorizedError(GENERIC_SIGN_IN_FAILURE, { email: input.email, reason: found ? "bad-password" : "unknown-user" });
      if (found.disabledAt) throw new UnauthorizedError(GENERIC_SIGN_IN_FAILURE, { email: input.email, reason: "user-disabled" });
      if (!found.belongs) throw new UnauthorizedError(GENERIC_SIGN_IN_FAILURE, { email: input.email, reason: "no-active-membership" });
      const due = (await policyRead!)!;
      // The session row goes out with the throttle's second look (one round trip). Should that
      // look refuse the attempt, or SSO refuse the password below, the transaction rolls back
      // and takes the row with it.
      if (!due.ssoOwner || due.breakGlass) {
        opened = openSession(tx, { userId: found.id, ip: meta.ip, userAgent: meta.userAgent, pending: pendingFor(due) });
        opened.catch(() => undefined);
      }
      return { ...found, due };
    }).catch((error: unknown) => {
      // The record of a throttled attempt names the email tried, as a failed one does.
      if (error instanceof RateLimitedError) throw new RateLimitedError(error.message, error.retryAfterSeconds, { email: input.email, reason: "throttled", retryAfterSeconds: error.retryAfterSeconds });
      throw error;
    });
    const { due } = user;
    // An org that owns the account and requires SSO refuses its password, past the password
    // check (so the answer tells nothing to someone without it), except for its break-glass members.
    const ssoPolicy = due.ssoOwner ? { orgId: due.ssoOwner, breakGlass: due.breakGlass } : null;
    if (ssoPolicy && !ssoPolicy.breakGlass) throw new UnauthorizedError(SSO_REQUIRED, { email: input.email, reason: "sso-required", orgId: ssoPolicy.orgId });
    const pending = pendingFor(due);
    const session = await opened!;
    // A success resets the account's count (not the address's: one valid account must not let a
    // guesser on the same address start over). Only here, past every refusal: a failed attempt's
    // transaction commits with its refusal, so an earlier reset would erase the count. Written
    // at once without waiting, so it travels with the audit append and the COMMIT; a failure
    // aborts the transaction, which that append then reports (lib/core/command.ts).
    rawSqlOf(tx)
      .unsafe(`delete from auth_throttle where key = $1`, [accountKey(input.email).key], { prepare: true })
      .execute()
      .catch(() => undefined);
    return {
      result: { userId: user.id, email: user.email, name: user.name, sessionToken: session.token, pending },
      actor: { type: "user", userId: user.id, label: user.email },
      target: { type: "session", id: session.id },
      // A break-glass sign-in past "require SSO" is flagged for whoever watches the trail.
      metadata: { method: "password", pending, ...(ssoPolicy?.breakGlass ? { breakGlass: true, ssoRequiredBy: ssoPolicy.orgId } : {}) },
      memberOrgIds: due.orgs,
    };
  },
});

function pendingFor(due: { hasFactor: boolean; required: boolean }): PendingSignIn | null {
  return due.hasFactor ? "mfa" : due.required ? "enrollment" : null;
}

/**
 * Whether an org that owns the account requires SSO (and whether the person is its break-glass
 * member), whether a second factor is set up, whether policy requires one, and the orgs the
 * person is an active member of: one statement.
 */
async function readPolicy(tx: CommandTx, userId: string, email: string) {
  const policy = passwordSignInPolicySql(userId, email);
  // With the orgs where the person is an active member, whose trails get the sign-in event.
  const [due] = await tx.execute<{ ssoOwner: string | null; breakGlass: boolean; hasFactor: boolean; required: boolean; orgs: string[] }>(sql`
    select ${policy.ssoOwner} as "ssoOwner", ${policy.breakGlass} as "breakGlass",
      ${hasSecondFactorSql(userId)} as "hasFactor", ${mfaRequiredSql(userId)} as required,
      ${activeOrgIdsSql(sql`u.id = ${userId}::uuid`)} as orgs`);
  return due;
}
