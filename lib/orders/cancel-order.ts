import { and, eq } from "drizzle-orm";
import { approvalSteps, orders } from "@/db/schema";
import { can } from "@/lib/access/access";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { ConflictError, ForbiddenError } from "@/lib/core/errors";
import { orderActionSchema } from "./draft-schemas";
import { bumpVersion, lockOrder } from "./order-draft-parts";
import { assertMaySeeOrder } from "./order-permissions";

/**
 * Cancels an order while that is allowed: its buyer (still holding orders:create at the branch)
 * while it is a draft or waiting for approval; a holder of orders:cancel at its branch also once
 * approved. Steps still waiting are withdrawn.
 */
export const cancelOrderCommand = defineCommand({
  name: "order.cancelled",
  description: "An order was cancelled by its buyer or by someone with orders:cancel at its branch (status before and the comment in the metadata).",
  access: "authenticated",
  input: orderActionSchema,
  async run(ctx, input) {
    const { tx, principal } = ctx;
    const orgId = principal.org?.id ?? notFound("Organization");
    const order = await lockOrder(tx, orgId, input.orderId, input.version);
    assertMaySeeOrder(ctx, order);
    const canCancel = can(principal.access, "orders:cancel", order.branchPath);
    const isBuyer = actorUserId(principal.actor) === order.buyerId && can(principal.access, "orders:create", order.branchPath);
    if (!canCancel && !isBuyer) throw new ForbiddenError(undefined, "orders:cancel");
    const allowed = canCancel ? ["draft", "submitted", "approved"] : ["draft", "submitted"];
    if (!allowed.includes(order.status)) {
      throw new ConflictError(order.status === "approved" ? "An approved order can be cancelled only by someone with orders:cancel at its branch." : `This order is ${order.status} and can no longer be cancelled.`, "status");
    }
    await tx.update(approvalSteps).set({ status: "withdrawn" }).where(and(eq(approvalSteps.orgId, orgId), eq(approvalSteps.orderId, order.id), eq(approvalSteps.status, "pending")));
    const [updated] = await tx.update(orders).set({ status: "cancelled", ...bumpVersion() }).where(eq(orders.id, order.id)).returning();
    return { result: updated!, target: { type: "order", id: order.id }, branchId: order.branchId, metadata: { before: { status: order.status }, after: { status: "cancelled" }, comment: input.comment ?? null } };
  },
});
