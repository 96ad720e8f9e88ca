import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { appendAuditEvent, sendAuditAppend, type AppendedEvent, type AuditEventInput } from "./append-audit-event";

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
  const fanned = await sendSignInFanOut(tx, event);
  if (!fanned) return false;
  if (fanned.last) await fanned.last;
  return true;
}

/**
 * The same fan-out, except that when it can, its last append is sent without waiting (so the
 * command's COMMIT travels behind it, as for any other event): the caller must await `last`
 * after commit. Null when it appended nothing. `knownOrgs`: the person's active orgs as a public
 * command (which looks across orgs) read them in this transaction, so they are not read again.
 */
export async function sendSignInFanOut(tx: Executor, event: AuditEventInput, knownOrgs?: string[]): Promise<{ last: Promise<AppendedEvent> | null; orgId: string } | null> {
  // auth.*: sign-in, failure, lockout, MFA, sign-out, resets; session.*: a person ending their own sessions.
  if (!event.action.startsWith("auth.") && !event.action.startsWith("session.")) return null;
  if (knownOrgs && event.actor.type === "user") return sendToOrgs(tx, event, knownOrgs);
  const userId = event.actor.type === "user" ? event.actor.userId : null;
  const email = typeof event.metadata?.email === "string" ? event.metadata.email : null;
  if (!userId && !email) return null;
  const orgsOf = activeOrgIdsSql(userId ? sql`u.id = ${userId}::uuid` : sql`lower(u.email) = lower(${email})`);
  // Sign-in itself looks across orgs already (it bypasses the tenant wall): then this one
  // statement reads every org of the person. Otherwise (a sign-out from one org) the person's
  // orgs lie outside the request's tenant scope: this lookup and these appends alone lift the
  // wall, and put it back.
  const [first] = await tx.execute<{ previous: string; orgs: string[] }>(sql`select coalesce(current_setting('countersign.bypass', true), '') as previous, ${orgsOf} as orgs`);
  const previous = first?.previous ?? "";
  if (previous === "on") return sendToOrgs(tx, event, first?.orgs ?? []);
  await tx.execute(sql`select set_config('countersign.bypass', 'on', true)`);
  try {
    const [lifted] = await tx.execute<{ orgs: string[] }>(sql`select ${orgsOf} as orgs`);
    const orgs = lifted?.orgs ?? [];
    if (orgs.length === 0) return null;
    for (const orgId of orgs) await appendAuditEvent(tx, forOrg(event, orgId));
    return { last: null, orgId: orgs[orgs.length - 1]! };
  } finally {
    await tx.execute(sql`select set_config('countersign.bypass', ${previous}, true)`);
  }
}

/**
 * The orgs where the person `person` picks out (a condition on users `u`) is an active member, as
 * a text[] in id order: whose chains get their sign-in events. Sign-in reads it with its policy
 * statement, by user id, while the hash runs (CommandOutcome.memberOrgIds).
 */
export function activeOrgIdsSql(person: SQL): SQL<string[]> {
  return sql<string[]>`array(select distinct m.org_id from memberships m join users u on u.id = m.user_id where m.status = 'active' and ${person} order by m.org_id)::text[]`;
}

/** In a transaction that looks across orgs: every org's append but the last awaited, the last sent. */
async function sendToOrgs(tx: Executor, event: AuditEventInput, orgs: string[]): Promise<{ last: Promise<AppendedEvent>; orgId: string } | null> {
  if (orgs.length === 0) return null;
  for (const orgId of orgs.slice(0, -1)) await appendAuditEvent(tx, forOrg(event, orgId));
  const lastOrg = orgs[orgs.length - 1]!;
  return { last: sendAuditAppend(tx, forOrg(event, lastOrg)), orgId: lastOrg };
}

function forOrg(event: AuditEventInput, orgId: string): AuditEventInput {
  return { ...event, orgId, branchId: orgId === event.orgId ? event.branchId : null };
}
