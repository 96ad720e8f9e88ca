import { sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { RateLimitedError } from "@/lib/core/errors";
import type { AcceptingChannel } from "./find-accepting-channel";

/** How long a refused sender should wait: about one drain step of the worker, not a guess at the backlog. */
export const BACKPRESSURE_RETRY_AFTER_SECONDS = 5;

// A recent count is reused while the channel has far more headroom than could arrive before the
// count is stale (2,000/s for half a second), so the hot path skips the count when far from the
// limit; close to it, every request counts again, so the limit is exact where it matters.
const REUSE_MS = 500;
const REUSE_HEADROOM = 1_000;
const recent = new Map<string, { open: number; at: number }>();
// One count in flight per channel: requests arriving while it runs share its answer, so an
// expired entry does not send every in-flight request to count at once.
const counting = new Map<string, Promise<number>>();

/**
 * Refuses with 429 and Retry-After once the channel has `maxDepth` open (received or processing)
 * messages: the sender retries later, nothing is dropped and nothing already accepted is lost.
 * The count stops at `maxDepth` (LIMIT), so it costs at most that many index entries of the
 * partial index on open messages.
 */
export async function assertBelowDepth(channel: AcceptingChannel, db: Db = getDb(), now = Date.now()): Promise<void> {
  const cached = recent.get(channel.id);
  if (cached && now - cached.at < REUSE_MS && channel.maxDepth - cached.open > REUSE_HEADROOM) return;
  let pending = counting.get(channel.id);
  if (!pending) {
    pending = countOpenMessages(channel, db).finally(() => counting.delete(channel.id));
    counting.set(channel.id, pending);
  }
  const open = await pending;
  recent.set(channel.id, { open, at: now });
  if (open >= channel.maxDepth) {
    throw new RateLimitedError(
      `The channel has ${channel.maxDepth} or more messages waiting to be processed. Retry in ${BACKPRESSURE_RETRY_AFTER_SECONDS} seconds; nothing you sent earlier is lost.`,
      BACKPRESSURE_RETRY_AFTER_SECONDS,
    );
  }
}

async function countOpenMessages(channel: AcceptingChannel, db: Db): Promise<number> {
  const [row] = await withTenantScope({ orgId: channel.orgId, userId: null, bypass: false }, (tx) =>
    tx.execute<{ n: number }>(sql`select count(*)::int as n from (select 1 from intake_messages where channel_id = ${channel.id} and org_id = ${channel.orgId} and status in ('received', 'processing') limit ${channel.maxDepth}) open`),
    db,
  );
  return row?.n ?? 0;
}

/** For tests that change a channel's depth between requests. */
export function forgetDepthCounts(): void {
  recent.clear();
}
