import { can } from "@/lib/access/access";
import { notFound, type CommandContext } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import type { LockedOrder } from "./order-draft-parts";

/**
 * A draft is changed (edited, submitted) by someone who holds orders:create at its branch and
 * can see it: its buyer, or a colleague with orders:read there. An order outside the actor's
 * view is not found, exactly like a missing one.
 */
export function assertMayChangeDraft(ctx: CommandContext, order: LockedOrder): void {
  assertMaySeeOrder(ctx, order);
  ctx.authorize("orders:create", order.branchPath, "Order");
}

/** Not found unless the actor may read the order (orders:read at its branch, or their own with read-own). */
export function assertMaySeeOrder(ctx: CommandContext, order: LockedOrder): void {
  const access = ctx.principal.access;
  const own = actorUserId(ctx.principal.actor) === order.buyerId;
  if (can(access, "orders:read", order.branchPath)) return;
  if (own && (can(access, "orders:read-own", order.branchPath) || can(access, "orders:create", order.branchPath))) return;
  notFound("Order");
}
