import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

// The Intake page's throughput chart: per channel, the documents of each hour of a bounded window
// (the last 24 hours by default), by outcome. Read off intake_documents_channel_created_idx (migration
// 0030): one range per channel, so the cost follows the window's documents, never the table's size.

export type ThroughputBucket = {
  /** Start of the hour, ISO 8601 in UTC. */
  hour: string;
  /** Created, updated or recognised as a duplicate. */
  processed: number;
  /** Waiting for a person (a rule flagged the order). */
  held: number;
  /** Rejected or dead-lettered. */
  failed: number;
};

export type ThroughputWindow = { from: Date; to: Date; hours: number };

/** The last `hours` hours up to `now`, the first one starting on a whole hour (UTC), the current one partial. */
export function throughputWindow(now: Date = new Date(), hours = 24): ThroughputWindow {
  const hourMs = 3_600_000;
  const from = new Date(Math.floor(now.getTime() / hourMs) * hourMs - (hours - 1) * hourMs);
  return { from, to: now, hours };
}

/**
 * The hours that had documents, per channel of the supplier (a channel with none in the window is
 * absent). Filtered by the supplier's org here and by row-level security underneath.
 */
export async function listChannelThroughput(tx: Tx, supplierId: string, window: ThroughputWindow = throughputWindow()): Promise<Map<string, ThroughputBucket[]>> {
  const rows = await tx.execute<{ channel_id: string; hour: Date | string; processed: number; held: number; failed: number }>(sql`
    select d.channel_id, date_trunc('hour', d.created_at, 'UTC') as hour,
      count(*) filter (where d.status in ('created', 'updated', 'duplicate'))::int as processed,
      count(*) filter (where d.status = 'held')::int as held,
      count(*) filter (where d.status in ('rejected', 'dead_letter'))::int as failed
    from intake_channels c
    join intake_documents d on d.channel_id = c.id and d.org_id = ${supplierId}
      and d.created_at >= ${window.from.toISOString()}::timestamptz and d.created_at < ${window.to.toISOString()}::timestamptz
    where c.org_id = ${supplierId}
    group by 1, 2 order by 1, 2`);
  const byChannel = new Map<string, ThroughputBucket[]>();
  for (const r of rows) {
    const list = byChannel.get(r.channel_id) ?? [];
    list.push({ hour: new Date(r.hour).toISOString(), processed: r.processed, held: r.held, failed: r.failed });
    byChannel.set(r.channel_id, list);
  }
  return byChannel;
}

/** Every hour of the window, the empty ones as zeros, so the chart's axis is the same for every channel. */
export function fillThroughputHours(window: ThroughputWindow, buckets: ThroughputBucket[]): ThroughputBucket[] {
  const known = new Map(buckets.map((b) => [b.hour, b]));
  return Array.from({ length: window.hours }, (_, i) => {
    const hour = new Date(window.from.getTime() + i * 3_600_000).toISOString();
    return known.get(hour) ?? { hour, processed: 0, held: 0, failed: 0 };
  });
}
