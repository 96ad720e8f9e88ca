import { and, eq, gt, lte } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { approvalDelegations, memberships, users } from "@/db/schema";
import { loadAccess } from "@/lib/access/load-access";
import type { Delegator } from "./delegate-eligibility";

/**
 * Whom this member stands in for right now: each delegator of a delegation whose period holds
 * `now`, with their live access (a delegator who lost orders:approve lends nothing). Few rows: a
 * person stands in for a handful of colleagues at most, read along the delegate index.
 */
export async function loadActiveDelegators(db: Executor, orgId: string, delegateId: string, now = new Date()): Promise<Delegator[]> {
  const rows = await db
    .selectDistinct({ userId: approvalDelegations.delegatorId, membershipId: memberships.id, name: users.name })
    .from(approvalDelegations)
    .innerJoin(memberships, and(eq(memberships.orgId, orgId), eq(memberships.userId, approvalDelegations.delegatorId)))
    .innerJoin(users, eq(users.id, approvalDelegations.delegatorId))
    .where(and(eq(approvalDelegations.orgId, orgId), eq(approvalDelegations.delegateId, delegateId), lte(approvalDelegations.startsAt, now), gt(approvalDelegations.endsAt, now)))
    .limit(50);
  const out: Delegator[] = [];
  for (const r of rows) out.push({ userId: r.userId, name: r.name, access: await loadAccess(db, r.membershipId) });
  return out;
}
