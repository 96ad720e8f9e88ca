import { and, eq, sql } from "drizzle-orm";
import { approvalDelegations } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { endDelegationSchema } from "./delegation-schemas";

/**
 * The delegator ends a delegation now (or cancels one not yet begun). Only their own: another
 * person's delegation, or one of another org, is not found. Ending needs no permission, so a
 * delegator who lost orders:approve can still take it back.
 */
export const endDelegationCommand = defineCommand({
  name: "approval.delegation.ended",
  description: "An approver ended their delegation early (or cancelled one not yet begun).",
  access: "authenticated",
  input: endDelegationSchema,
  async run({ tx, principal }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const delegatorId = actorUserId(principal.actor);
    if (!delegatorId) throw new ForbiddenError("Only a member can end a delegation.");
    const [row] = await tx
      .update(approvalDelegations)
      .set({ endsAt: sql`least(${approvalDelegations.endsAt}, greatest(now(), ${approvalDelegations.startsAt}))` })
      .where(and(eq(approvalDelegations.orgId, orgId), eq(approvalDelegations.id, input.delegationId), eq(approvalDelegations.delegatorId, delegatorId)))
      .returning();
    if (!row) notFound("Delegation");
    return { result: row, target: { type: "approval-delegation", id: row.id }, metadata: { endsAt: row.endsAt.toISOString() } };
  },
});
