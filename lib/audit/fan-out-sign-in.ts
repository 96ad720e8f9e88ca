import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { appendAuditEvent, type AuditEventInput } from "./append-audit-event";

/**
 * Sign-in events (every `auth.` action about a person: success, failure, MFA, lockout, sign-out,
 * resets; and `session.` ones, a person ending their own sessions) are appended to the chain of every org where that person is an active
 * member, one event per chain in the same transaction, so each org's administrator finds their
 * members' sign-ins in their own trail, covered by that trail's verification (docs/adr/0010).
 * The person is the acting user, or for a refused attempt the email it named. An unknown email,
 * or a person with no active membership, leaves the event where it was filed (the global chain).
 * Returns false when it appended nothing, so the caller appends the event as filed.
 */
export async function appendSignInFanOut(tx: Executor, event: AuditEventInput): Promise<boolean> {
  // auth.*: sign-in, failure, lockout, MFA, sign-out, resets; session.*: a person ending their own sessions.
  if (!event.action.startsWith("auth.") && !event.action.startsWith("session.")) return false;
  const userId = event.actor.type === "user" ? event.actor.userId : null;
  const email = typeof event.metadata?.email === "string" ? event.metadata.email : null;
  if (!userId && !email) return false;
  // The person's orgs lie outside the request's tenant scope (sign-in knows no org yet; a
  // sign-out comes from one org): this lookup and these appends alone lift the wall, and put it back.
  const [saved] = await tx.execute<{ previous: string }>(sql`select coalesce(current_setting('countersign.bypass', true), '') as previous, set_config('countersign.bypass', 'on', true)`);
  try {
    const orgs = await tx.execute<{ org_id: string }>(sql`
      select distinct m.org_id from memberships m join users u on u.id = m.user_id
      where m.status = 'active' and ${userId ? sql`u.id = ${userId}::uuid` : sql`lower(u.email) = lower(${email})`}
      order by m.org_id`);
    if (orgs.length === 0) return false;
    for (const { org_id } of orgs) await appendAuditEvent(tx, { ...event, orgId: org_id, branchId: org_id === event.orgId ? event.branchId : null });
    return true;
  } finally {
    await tx.execute(sql`select set_config('countersign.bypass', ${saved?.previous ?? ""}, true)`);
  }
}
