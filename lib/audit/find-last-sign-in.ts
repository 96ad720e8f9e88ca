import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { encodeControlChars } from "./encode-control-chars";

export interface LastSignIn {
  occurredAt: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * A member's last successful sign-in as their org's trail holds it (the sign-in fan-out files it
 * there). One probe of the partial index audit_events_last_signin_idx, however long the trail.
 */
export async function findLastSignIn(db: Executor, orgId: string, userId: string): Promise<LastSignIn | null> {
  const [row] = await db.execute<{ occurred_at: string; ip: string | null; user_agent: string | null }>(sql`
    select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as occurred_at, ip, user_agent
    from audit_events
    where org_id = ${orgId}::uuid and actor_id = ${userId} and action = 'auth.signin.succeeded'
    order by occurred_at desc
    limit 1`);
  if (!row) return null;
  return { occurredAt: row.occurred_at, ip: row.ip === null ? null : encodeControlChars(row.ip), userAgent: row.user_agent === null ? null : encodeControlChars(row.user_agent) };
}
