import type { CommandTx } from "@/lib/core/command-tx";
import { inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { authThrottle } from "@/db/schema";
import { AppError, RateLimitedError, UnauthorizedError } from "@/lib/core/errors";
import { BLOCK_AFTER_FAILURES, type ThrottleKey } from "../throttle-keys";

/**
 * Failed-attempt throttling for sign-in and MFA (OWASP ASVS 6.3 / NIST SP 800-63B 5.2.2).
 * Counters live in PostgreSQL so every app node sees the same ones. After a few free failures
 * each further one doubles the wait before the next attempt (1 s, 2 s, 4 s … capped at 15 min);
 * after 100 consecutive failures the key is blocked. A success clears the count. The keys and
 * their rules are in ../throttle-keys.ts.
 */
export { accountKey, BLOCK_AFTER_FAILURES, ipKey, mfaKey, type ThrottleKey } from "../throttle-keys";
const MAX_DELAY_SECONDS = 15 * 60;

export function delaySeconds(failures: number, free: number): number {
  if (failures <= free) return 0;
  return Math.min(2 ** Math.min(failures - free - 1, 20), MAX_DELAY_SECONDS);
}

// Advisory-lock class of the per-key attempt slots (the audit chain and migrations use others).
const ATTEMPT_LOCK_CLASS = 727_274_003;

/** Each key's current count; throws while any key is waiting out its delay or is blocked. */
async function readFailures(tx: Tx, keys: Array<ThrottleKey | null>, now: Date): Promise<Map<ThrottleKey, number>> {
  const wanted = keys.filter((k): k is ThrottleKey => k !== null);
  const counts = new Map<ThrottleKey, number>(wanted.map((k) => [k, 0]));
  if (!wanted.length) return counts;
  const rows = await tx.select().from(authThrottle).where(inArray(authThrottle.key, wanted.map((k) => k.key)));
  for (const row of rows) {
    const rule = wanted.find((k) => k.key === row.key)!;
    const sinceLast = (now.getTime() - row.lastFailureAt.getTime()) / 1000;
    if (rule.forgetAfterSeconds !== undefined && sinceLast >= rule.forgetAfterSeconds) continue;
    counts.set(rule, row.failures);
    if (row.failures >= BLOCK_AFTER_FAILURES) {
      if (rule.forgetAfterSeconds === undefined) throw new RateLimitedError(rule.blockedMessage ?? "Too many failed attempts: this is blocked.", 0);
      const left = rule.forgetAfterSeconds - sinceLast;
      throw new RateLimitedError(retryMessage(left), Math.ceil(left));
    }
    const wait = delaySeconds(row.failures, rule.free) - sinceLast;
    if (wait > 0) throw new RateLimitedError(retryMessage(wait), Math.ceil(wait));
  }
  return counts;
}

/**
 * Runs a credential check (password, second factor) as one throttled attempt.
 *
 * Attempts sent in parallel would all pass the count before any of them failed. Each attempt
 * therefore holds one of the key's "slots" until its transaction ends, and there are only as
 * many slots as free failures remain (one once delays have started): an attempt that finds none
 * free is refused like a throttled one, at once, without waiting (a waiting attempt would hold a
 * pooled connection). A failed check counts its failure in the attempt's own transaction, which
 * the command wrapper then commits with the refusal (`commitsWithRefusal`), so the slot is freed
 * only once the failure is on record: the next attempt to take it always reads the new count.
 * A count that rose while the check ran (the check after the credential sees it) refuses this
 * attempt as throttled whatever its outcome, and does not count it, so the answer says nothing
 * about the credential.
 */
export async function checkUnlessThrottled<T>(tx: CommandTx, keys: Array<ThrottleKey | null>, check: () => Promise<T>): Promise<T> {
  // The count and the slots go out together (one round trip): the claim reckons each key's slots
  // from the same row in SQL. A key found waiting or blocked throws either way, and any slot
  // taken is released when its transaction ends.
  const wanted = keys.filter((k): k is ThrottleKey => k !== null);
  const [, claimed] = await Promise.all([readFailures(tx, wanted, new Date()), claimAttemptSlots(tx, wanted)]);
  if (!claimed) throw new RateLimitedError(retryMessage(1), 1);
  let result: T;
  try {
    result = await check();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await readFailures(tx, keys, new Date());
    // Only a wrong credential counts; an attempt refused for throttling does not extend it.
    if (error instanceof UnauthorizedError) {
      await recordFailure(tx, keys);
      error.commitsWithRefusal = true;
    }
    throw error;
  }
  await readFailures(tx, keys, new Date());
  return result;
}

/**
 * Takes one free slot of every key, in one statement: per key, the first of its slots whose
 * try-lock succeeds (LIMIT 1 stops at it). A key has as many slots as free failures remain, one
 * once delays have started, counted from its row as readFailures counts it (a count older than
 * the key's forget window is zero). False when any key has none free.
 */
async function claimAttemptSlots(tx: Tx, wanted: ThrottleKey[]): Promise<boolean> {
  if (!wanted.length) return true;
  const claims = wanted.map((k) => {
    const fresh = k.forgetAfterSeconds === undefined ? sql`true` : sql`t.last_failure_at > now() - make_interval(secs => ${k.forgetAfterSeconds})`;
    const failures = sql`coalesce((select t.failures from auth_throttle t where t.key = ${k.key} and ${fresh}), 0)`;
    return sql`(select slot from generate_series(0, greatest(1, ${k.free} - ${failures}) - 1) as slot where pg_try_advisory_xact_lock(${ATTEMPT_LOCK_CLASS}, hashtext(${k.key} || '#' || slot)) limit 1) is not null`;
  });
  const [row] = await tx.execute<{ claimed: boolean }>(sql`select ${sql.join(claims, sql` and `)} as claimed`);
  return row?.claimed === true;
}

function retryMessage(seconds: number): string {
  const s = Math.ceil(seconds);
  return `Too many failed attempts. Try again in ${s < 120 ? `${s} second${s === 1 ? "" : "s"}` : `${Math.ceil(s / 60)} minutes`}.`;
}

/** Counts one more consecutive failure on each key, in the attempt's transaction. */
async function recordFailure(tx: CommandTx, keys: Array<ThrottleKey | null>): Promise<void> {
  for (const k of keys) {
    if (!k) continue;
    // A count old enough to be forgotten starts again at one.
    const failures =
      k.forgetAfterSeconds === undefined
        ? sql`${authThrottle.failures} + 1`
        : sql`case when ${authThrottle.lastFailureAt} <= now() - make_interval(secs => ${k.forgetAfterSeconds}) then 1 else ${authThrottle.failures} + 1 end`;
    await tx
      .insert(authThrottle)
      .values({ key: k.key, failures: 1, lastFailureAt: sql`now()` })
      .onConflictDoUpdate({ target: authThrottle.key, set: { failures, lastFailureAt: sql`now()` } });
  }
}

/** A success resets the count. */
export async function clearFailures(tx: CommandTx, keys: Array<ThrottleKey | null>): Promise<void> {
  const wanted = keys.filter((k): k is ThrottleKey => k !== null).map((k) => k.key);
  if (wanted.length) await tx.delete(authThrottle).where(inArray(authThrottle.key, wanted));
}
