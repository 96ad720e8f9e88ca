import { aliasedTable, and, desc, eq, or } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { approvalDelegations, users } from "@/db/schema";
import { actorUserId, type Principal } from "@/lib/core/context";
import type { Delegation, DelegationList } from "./delegation-schemas";

const RECENT = 50;

/**
 * The caller's own delegations in this org: those they gave and those they received, the 50
 * latest-ending of each (a person has a handful; each side is one range of its index).
 */
export async function listMyDelegations(db: Executor, principal: Principal): Promise<DelegationList> {
  const orgId = principal.org?.id;
  const userId = actorUserId(principal.actor);
  if (!orgId || !userId) return { given: [], received: [] };
  const [given, received] = [await side(db, orgId, "delegatorId", userId), await side(db, orgId, "delegateId", userId)];
  return { given, received };
}

/** One delegation of the caller's (given or received), or null. */
export async function findMyDelegation(db: Executor, principal: Principal, id: string): Promise<Delegation | null> {
  const orgId = principal.org?.id;
  const userId = actorUserId(principal.actor);
  if (!orgId || !userId) return null;
  const rows = await selectDelegations(db).where(and(eq(approvalDelegations.orgId, orgId), eq(approvalDelegations.id, id), or(eq(approvalDelegations.delegatorId, userId), eq(approvalDelegations.delegateId, userId))));
  return rows[0] ? toDelegation(rows[0]) : null;
}

const delegator = aliasedTable(users, "delegator");
const delegate = aliasedTable(users, "delegate");

function selectDelegations(db: Executor) {
  return db
    .select({ d: approvalDelegations, delegator: { userId: delegator.id, name: delegator.name, email: delegator.email }, delegate: { userId: delegate.id, name: delegate.name, email: delegate.email } })
    .from(approvalDelegations)
    .innerJoin(delegator, eq(delegator.id, approvalDelegations.delegatorId))
    .innerJoin(delegate, eq(delegate.id, approvalDelegations.delegateId))
    .$dynamic();
}

async function side(db: Executor, orgId: string, column: "delegatorId" | "delegateId", userId: string): Promise<Delegation[]> {
  const rows = await selectDelegations(db)
    .where(and(eq(approvalDelegations.orgId, orgId), eq(approvalDelegations[column], userId)))
    .orderBy(desc(approvalDelegations.endsAt), desc(approvalDelegations.id))
    .limit(RECENT);
  return rows.map(toDelegation);
}

function toDelegation(r: { d: typeof approvalDelegations.$inferSelect; delegator: Delegation["delegator"]; delegate: Delegation["delegate"] }): Delegation {
  const now = Date.now();
  const state = r.d.endsAt.getTime() <= now ? "ended" : r.d.startsAt.getTime() > now ? "upcoming" : "active";
  return { id: r.d.id, delegator: r.delegator, delegate: r.delegate, startsAt: r.d.startsAt.toISOString(), endsAt: r.d.endsAt.toISOString(), state };
}
