import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { approvalSteps, organizations } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { runCommand } from "@/lib/core/command";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { escalateApprovalCommand } from "./escalate-approval";
import { notifyWaiting } from "./notify";

/**
 * The escalation job: every step whose tier has waited past its rule's period is escalated one
 * level (escalateApprovalCommand, one transaction and audit event each), and the approvers at
 * the new level are mailed. The launcher runs it every few minutes (scripts/lib/run-escalations.ts);
 * it is the body a pg-boss schedule would call (ADR 0017). Idempotent: a step not yet due again,
 * or already at the root, is skipped. At most `max` steps per run, oldest first.
 */
export async function sweepEscalations(db: Db = getDb(), { now = new Date(), max = 500 } = {}): Promise<{ escalated: number; mailed: number }> {
  const due = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) =>
    tx
      .select({ stepId: approvalSteps.id, orderId: approvalSteps.orderId, orgId: organizations.id, slug: organizations.slug, name: organizations.name })
      .from(approvalSteps)
      .innerJoin(organizations, eq(organizations.id, approvalSteps.orgId))
      .where(
        and(
          eq(approvalSteps.status, "pending"),
          isNotNull(approvalSteps.waitingSince),
          isNotNull(approvalSteps.escalateAfterHours),
          isNotNull(approvalSteps.levelBranchId),
          sql`${approvalSteps.waitingSince} + make_interval(hours => ${approvalSteps.escalateAfterHours} * (${approvalSteps.escalations} + 1)) <= ${now.toISOString()}::timestamptz`,
        ),
      )
      .orderBy(asc(approvalSteps.waitingSince))
      .limit(max),
    db,
  );
  let escalated = 0;
  let mailed = 0;
  const meta = systemMeta("escalations");
  for (const d of due) {
    const operator = systemPrincipal("escalations", { id: d.orgId, slug: d.slug, name: d.name });
    const outcome = await runCommand(escalateApprovalCommand, operator, meta, { stepId: d.stepId, now }, db);
    if (!outcome.escalated) continue;
    escalated++;
    mailed += await notifyWaiting(operator, d.orderId, [d.stepId], true, db);
  }
  return { escalated, mailed };
}
