import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { applyTenantScope } from "@/db/tenant-scope";
import { lockKey } from "@/lib/core/advisory-lock";
import type { CommandContext } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { hasSecondFactor, isMfaRequiredIn, listMfaFactors, type MfaFactors } from "@/lib/identity/mfa-policy";
import { describeMfaRequirement, readMfaRequirementIn } from "@/lib/identity/mfa-requirement";
import { requireSession } from "@/lib/identity/sessions";

export interface FactorChange {
  userId: string;
  sessionId: string;
  /** The person's factors, read under the lock. */
  factors: MfaFactors;
}

/**
 * The start of every command that adds, replaces or removes a second factor (or its recovery
 * codes). It serializes them per person (an advisory lock on (user, "factors"), taken before the
 * factors are counted, so two removals cannot each see the other's factor still there), and asks
 * for the step-up the person can give: an MFA check when they already have a second factor, since
 * a password alone (a stolen cookie plus a phished password) must not change them; a recent
 * sign-in only when they have none, which is what lets a forced enrollment follow the sign-in.
 */
export async function beginFactorChange(ctx: CommandContext): Promise<FactorChange> {
  const { userId, sessionId } = requireSession(ctx.principal);
  await lockKey(ctx.tx, "factors", userId);
  const factors = await listMfaFactors(ctx.tx, userId);
  ctx.requireStepUp(hasSecondFactor(factors) ? "mfa" : "recent-auth");
  return { userId, sessionId, factors };
}

/**
 * Refuses to remove a user's last second factor while policy requires MFA of them, so an admin
 * cannot end up signed in without one. `factors` must be read under beginFactorChange's lock.
 * The rule spans the person's orgs, so it is read with the row-level-security scope widened for
 * that one read (their own memberships and grants only); the caller's scope is then put back
 * exactly as it was.
 */
export async function assertFactorRemovable(tx: Tx, userId: string, factors: MfaFactors, removing: "totp" | "passkey"): Promise<void> {
  const left = { ...factors, totp: removing === "totp" ? false : factors.totp, passkeys: removing === "passkey" ? factors.passkeys - 1 : factors.passkeys };
  if (hasSecondFactor(left)) return;
  const [saved] = await tx.execute<{ orgId: string; userId: string; bypass: string }>(sql`select
    coalesce(current_setting('countersign.org_id', true), '') as "orgId",
    coalesce(current_setting('countersign.user_id', true), '') as "userId",
    coalesce(current_setting('countersign.bypass', true), '') as "bypass"`);
  await applyTenantScope(tx, { orgId: null, userId, bypass: true });
  // No finally: a failed read aborts the transaction, which then ends with its scope.
  const required = await isMfaRequiredIn(tx, userId);
  // Read while the scope is widened: the message says whose rule it is (the org's, or a role's).
  const why = required ? describeMfaRequirement(await readMfaRequirementIn(tx, userId)) : "";
  await tx.execute(sql`select
    set_config('countersign.org_id', ${saved?.orgId ?? ""}, true),
    set_config('countersign.user_id', ${saved?.userId ?? ""}, true),
    set_config('countersign.bypass', ${saved?.bypass ?? ""}, true)`);
  if (required) throw new ConflictError(`This is your last second factor. ${why} Add another one before removing it.`);
}
