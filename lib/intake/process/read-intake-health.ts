import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";

export type IntakeHealth = { queueDepth: number; lagSeconds: number | null; deadLetters: number };

/**
 * The intake figures /api/health reports, over every channel: messages waiting or in progress, how
 * long the oldest of them has waited (the queue's lag), and the open dead letters. Aggregates only, no
 * tenant's data, read as the operator (the inbox rows are each supplier's under row-level security).
 */
export async function readIntakeHealth(db: Db): Promise<IntakeHealth> {
  const [row] = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) =>
    tx.execute<{ depth: number; lag: string | null; dead: number }>(sql`
      select (select count(*)::int from intake_messages where status in ('received', 'processing')) as depth,
             (select extract(epoch from now() - min(received_at))::text from intake_messages where status in ('received', 'processing')) as lag,
             (select count(*)::int from intake_dead_letters where state = 'open') as dead`), db);
  return { queueDepth: row!.depth, lagSeconds: row!.lag === null ? null : Math.max(0, Math.round(Number(row!.lag))), deadLetters: row!.dead };
}
