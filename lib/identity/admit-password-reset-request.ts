import { getDb, type Db } from "@/db/client";
import type { RequestMeta } from "@/lib/core/context";
import { RateLimitedError } from "@/lib/core/errors";
import { recordCountedRefusals } from "./record-counted-refusals";
import { refusalRules, tallyRefusal } from "./refusal-tally";

/**
 * "Forgot password" is open to anyone, and every request is recorded (and may mail a link): past
 * the limit per client address and window, a request is refused with 429 before the command
 * runs, and only counted (lib/identity/refusal-tally.ts). The answer is the same whether or not
 * the account exists, since it depends on the address alone.
 */
export async function admitPasswordResetRequest(meta: RequestMeta, db: Db = getDb()): Promise<void> {
  const { tally, closed } = await tallyRefusal(db, refusalRules["auth.password_reset.requested"], meta.ip, {});
  await recordCountedRefusals(db, closed);
  if (tally.verdict === "throttled") {
    const minutes = Math.ceil(tally.retryAfterSeconds / 60);
    throw new RateLimitedError(`Too many reset requests from your network. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, tally.retryAfterSeconds);
  }
}
