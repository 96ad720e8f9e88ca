import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";

// Per channel, what the Intake page shows: last success, the last day's error rate and volume, the
// queue's lag, open dead letters, and whether it has gone quiet for longer than its expected interval.

export type ChannelHealth = {
  id: string;
  name: string;
  format: string;
  status: string;
  lastReceivedAt: string | null;
  lastSuccessAt: string | null;
  documentsDay: number;
  failedDay: number;
  /** Failed ÷ all documents over the last 24 hours; null when there were none. */
  errorRate: number | null;
  openMessages: number;
  lagSeconds: number | null;
  openDeadLetters: number;
  /** Silent for longer than its expected interval (null interval: never flagged). */
  silent: boolean;
};

export async function listChannelHealth(tx: Tx, supplierId: string): Promise<ChannelHealth[]> {
  const rows = await tx.execute<{
    id: string; name: string; format: string; status: string; expected: number | null; last_received: Date | null; last_success: Date | null;
    docs: number; failed: number; open: number; lag: string | null; dead: number;
  }>(sql`
    select c.id, c.name, c.format::text as format, c.status::text as status, c.expected_interval_seconds as expected,
      (select max(m.received_at) from intake_messages m where m.org_id = c.org_id and m.channel_id = c.id) as last_received,
      (select max(m.updated_at) from intake_messages m where m.org_id = c.org_id and m.channel_id = c.id and m.status = 'done') as last_success,
      (select count(*)::int from intake_documents d where d.org_id = c.org_id and d.channel_id = c.id and d.created_at > now() - interval '1 day') as docs,
      (select count(*)::int from intake_documents d where d.org_id = c.org_id and d.channel_id = c.id and d.created_at > now() - interval '1 day' and d.status in ('rejected', 'dead_letter')) as failed,
      (select count(*)::int from intake_messages m where m.org_id = c.org_id and m.channel_id = c.id and m.status in ('received', 'processing')) as open,
      (select extract(epoch from now() - min(m.received_at))::text from intake_messages m where m.org_id = c.org_id and m.channel_id = c.id and m.status in ('received', 'processing')) as lag,
      (select count(*)::int from intake_dead_letters l where l.org_id = c.org_id and l.channel_id = c.id and l.state = 'open') as dead
    from intake_channels c where c.org_id = ${supplierId} order by c.name, c.id`);
  const now = Date.now();
  return rows.map((r) => {
    const lastReceived = r.last_received ? new Date(r.last_received) : null;
    return {
      id: r.id, name: r.name, format: r.format, status: r.status,
      lastReceivedAt: lastReceived?.toISOString() ?? null,
      lastSuccessAt: r.last_success ? new Date(r.last_success).toISOString() : null,
      documentsDay: r.docs, failedDay: r.failed, errorRate: r.docs ? r.failed / r.docs : null,
      openMessages: r.open, lagSeconds: r.lag === null ? null : Math.max(0, Math.round(Number(r.lag))), openDeadLetters: r.dead,
      silent: r.status === "active" && r.expected !== null && (lastReceived === null || now - lastReceived.getTime() > r.expected * 1000),
    };
  });
}
