import { eq } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { intakeChannels } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";

export interface AcceptingChannel {
  id: string;
  orgId: string;
  name: string;
  format: (typeof intakeChannels.$inferSelect)["format"];
  tokenHash: string;
  secretSealed: string | null;
  maxBodyBytes: number;
  maxDepth: number;
}

// Acceptance reads its channel on every request; a second-old copy saves a transaction each time.
// A disable or a change takes effect at once in this process (forgetAcceptingChannel) and within
// CACHE_MS on the others. Only active channels are kept, and only so many, so a flood of made-up
// ids never grows the map.
const CACHE_MS = 1_000;
const CACHE_MAX = 10_000;
const cache = new Map<string, { channel: AcceptingChannel; at: number }>();

export function forgetAcceptingChannel(channelId?: string): void {
  if (channelId) cache.delete(channelId);
  else cache.clear();
}

/** The active channel, from the short cache or the database. */
export async function findAcceptingChannel(channelId: string, db: Db = getDb(), now = Date.now()): Promise<AcceptingChannel | null> {
  const cached = cache.get(channelId);
  if (cached && now - cached.at < CACHE_MS) return cached.channel;
  const channel = await loadAcceptingChannel(channelId, db);
  if (!channel) cache.delete(channelId);
  else {
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(channelId, { channel, at: now });
  }
  return channel;
}

/**
 * The channel a POST names, if it is active. This is the authentication step (like reading an
 * API token): nobody is known yet, so it looks across orgs, reads one row by primary key and
 * returns only what the checks need. Disabled and missing look the same (404).
 */
async function loadAcceptingChannel(channelId: string, db: Db): Promise<AcceptingChannel | null> {
  const [row] = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) =>
    tx
      .select({
        id: intakeChannels.id,
        orgId: intakeChannels.orgId,
        name: intakeChannels.name,
        format: intakeChannels.format,
        tokenHash: intakeChannels.tokenHash,
        secretSealed: intakeChannels.secretSealed,
        maxBodyBytes: intakeChannels.maxBodyBytes,
        maxDepth: intakeChannels.maxDepth,
        status: intakeChannels.status,
      })
      .from(intakeChannels)
      .where(eq(intakeChannels.id, channelId)),
    db,
  );
  if (!row || row.status !== "active") return null;
  return { id: row.id, orgId: row.orgId, name: row.name, format: row.format, tokenHash: row.tokenHash, secretSealed: row.secretSealed, maxBodyBytes: row.maxBodyBytes, maxDepth: row.maxDepth };
}
