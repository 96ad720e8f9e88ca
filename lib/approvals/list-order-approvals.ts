import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { approvalSteps, roles, users } from "@/db/schema";

/** An order's approval history: each step with its rule, tier, roles, decision and comment. */
export async function listOrderApprovals(db: Executor, orgId: string, orderId: string) {
  const rows = await db
    .select({ step: approvalSteps, decidedByName: users.name })
    .from(approvalSteps)
    .leftJoin(users, eq(users.id, approvalSteps.decidedBy))
    .where(and(eq(approvalSteps.orgId, orgId), eq(approvalSteps.orderId, orderId)))
    .orderBy(asc(approvalSteps.tierNo), asc(approvalSteps.groupNo));
  const roleIds = [...new Set(rows.flatMap((r) => r.step.roleIds))];
  const names = new Map(roleIds.length ? (await db.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.orgId, orgId), inArray(roles.id, roleIds)))).map((r) => [r.id, r.name]) : []);
  return rows.map(({ step, decidedByName }) => ({
    id: step.id,
    rule: step.ruleName,
    tier: step.tierNo,
    group: step.groupNo,
    roles: step.roleIds.map((id) => names.get(id) ?? "(deleted role)"),
    status: step.status,
    waitingSince: step.waitingSince?.toISOString() ?? null,
    escalations: step.escalations,
    decidedBy: decidedByName,
    decidedAt: step.decidedAt?.toISOString() ?? null,
    comment: step.comment,
  }));
}
