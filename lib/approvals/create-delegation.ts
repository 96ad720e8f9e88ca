import { and, eq, gt, lt } from "drizzle-orm";
import { approvalDelegations, memberships, users } from "@/db/schema";
import { loadAccess } from "@/lib/access/load-access";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import type { CommandTx } from "@/lib/core/command-tx";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/core/errors";
import { approveScopesOverlap } from "./delegate-eligibility";
import { createDelegationSchema } from "./delegation-schemas";

/**
 * An approver names a stand-in for a period (orders:approve). The delegator is the caller, never
 * an input, so nobody can make themselves someone else's delegate. The delegate must be an active
 * member who approves orders in part of the delegator's scope on their own account: a delegation
 * lends the delegator's roles for their tiers, never a branch or a limit the delegate lacks
 * (lib/approvals/delegate-eligibility.ts checks both again at every decision).
 */
export const createDelegationCommand = defineCommand({
  name: "approval.delegation.created",
  description: "An approver named a delegate for a period (delegate, start and end in the metadata).",
  access: { permission: "orders:approve" },
  input: createDelegationSchema,
  async run({ tx, principal }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const delegatorId = actorUserId(principal.actor);
    if (!delegatorId) throw new ForbiddenError("Only a member can name a delegate.");
    const field = input.delegateMembershipId ? "delegateMembershipId" : "delegateEmail";
    const delegate = (await findDelegate(tx, orgId, input)) ?? notFound("Member");
    if (delegate.status !== "active") throw new ValidationError({ [field]: ["has not joined or is deactivated; name an active member"] });
    if (delegate.userId === delegatorId) throw new ValidationError({ [field]: ["is you; name a colleague who approves orders in your branches"] });
    if (!approveScopesOverlap(await loadAccess(tx, delegate.membershipId), principal.access)) {
      throw new ValidationError({ [field]: ["does not approve orders in any of your branches; a delegate must be able to approve there on their own account"] });
    }
    const startsAt = input.startsAt ?? new Date();
    const [overlap] = await tx
      .select({ id: approvalDelegations.id })
      .from(approvalDelegations)
      .where(and(eq(approvalDelegations.orgId, orgId), eq(approvalDelegations.delegatorId, delegatorId), eq(approvalDelegations.delegateId, delegate.userId), lt(approvalDelegations.startsAt, input.endsAt), gt(approvalDelegations.endsAt, startsAt)));
    if (overlap) throw new ConflictError(`${delegate.email} already stands in for you during part of that period; end that delegation first.`, "endsAt");
    const [row] = await tx.insert(approvalDelegations).values({ orgId, delegatorId, delegateId: delegate.userId, startsAt, endsAt: input.endsAt }).returning();
    return {
      result: row!,
      target: { type: "approval-delegation", id: row!.id, label: delegate.email },
      metadata: { delegate: { userId: delegate.userId, email: delegate.email }, startsAt: startsAt.toISOString(), endsAt: input.endsAt.toISOString() },
    };
  },
});

async function findDelegate(tx: CommandTx, orgId: string, input: { delegateMembershipId?: string; delegateEmail?: string }) {
  const key = input.delegateMembershipId ? eq(memberships.id, input.delegateMembershipId) : eq(memberships.emailKey, input.delegateEmail!);
  const [row] = await tx
    .select({ membershipId: memberships.id, userId: memberships.userId, status: memberships.status, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), key));
  return row ?? null;
}
