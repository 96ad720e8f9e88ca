import { and, eq } from "drizzle-orm";
import { approvalSteps, orderLines, orders } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { assertMaySeeOrder } from "@/lib/orders/order-permissions";
import { bumpVersion, lockOrder } from "@/lib/orders/order-draft-parts";
import { applyApprovalRules } from "./apply-approval-rules";
import { reviseOrderSchema } from "./intake-order-schemas";
import { assertChannelActor, copyShipTo, priceIntakeLines, storedLineValues } from "./intake-order-parts";

/**
 * A sender's update (X12 BEG01 05, cXML type="update", or the same PO number with other content) of an
 * order its channel created: allowed only while the order is a draft or waiting for approval, under the
 * order's row lock. Its lines are replaced and the approval rules run again; anything further along is a
 * conflict for a person, never overwritten.
 */
export const reviseOrderCommand = defineCommand({
  name: "order.revised",
  description: "An intake channel replaced a draft or submitted order's lines with the sender's update (before and after in the metadata; the approval rules ran again).",
  access: { permission: "orders:create" },
  input: reviseOrderSchema,
  async run(ctx, input) {
    const { tx, principal } = ctx;
    assertChannelActor(principal.actor.type);
    const orgId = principal.org?.id ?? notFound("Organization");
    const order = await lockOrder(tx, orgId, input.orderId);
    assertMaySeeOrder(ctx, order);
    ctx.authorize("orders:create", order.branchPath, "Order");
    if (order.status !== "draft" && order.status !== "submitted") throw new ConflictError(`Only a draft or submitted order can be updated by its sender; this order is ${order.status}.`, "status");
    const [lines, shipTo] = await Promise.all([priceIntakeLines(tx, orgId, input.currency, input.lines), copyShipTo(tx, orgId, order.branchId, input.shipToAddressId)]);
    const subtotalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
    await tx.delete(orderLines).where(and(eq(orderLines.orgId, orgId), eq(orderLines.orderId, order.id)));
    await tx.insert(orderLines).values(lines.map((l) => storedLineValues(l, orgId, order.id)));
    await tx.update(orders)
      .set({ status: "draft", currency: input.currency, subtotalMinor, taxMinor: 0, totalMinor: subtotalMinor, requestedDeliveryDate: input.requestedDeliveryDate, shipTo: shipTo ?? order.shipTo, note: input.note, ...bumpVersion() })
      .where(and(eq(orders.orgId, orgId), eq(orders.id, order.id)));
    // Held: back to a draft, its pending steps withdrawn; else submitted through the rules again.
    const submitted = input.submit ? await applyApprovalRules(tx, principal, { id: order.id, orgId, branchId: order.branchId, branchPath: order.branchPath, currency: input.currency }, lines) : null;
    if (!submitted) await tx.update(approvalSteps).set({ status: "withdrawn" }).where(and(eq(approvalSteps.orgId, orgId), eq(approvalSteps.orderId, order.id), eq(approvalSteps.status, "pending")));
    const status = submitted?.status ?? "draft";
    return {
      result: { orderId: order.id, number: order.number, status, totalMinor: subtotalMinor, waitingStepIds: submitted?.waitingStepIds ?? [] },
      target: { type: "order", id: order.id, label: order.number },
      branchId: order.branchId,
      metadata: {
        source: input.source,
        before: { status: order.status, currency: order.currency, totalMinor: order.totalMinor },
        after: { status, currency: input.currency, totalMinor: subtotalMinor, lines: lines.length },
        rules: submitted?.rules ?? [],
      },
    };
  },
});
