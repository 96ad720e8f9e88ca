import { and, eq } from "drizzle-orm";
import { orderLines, orders } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { editDraftSchema } from "./draft-schemas";
import { bumpVersion, lockOrder, priceDraft, resolveShipTo } from "./order-draft-parts";
import { assertMayChangeDraft } from "./order-permissions";

/** Edits a draft (its buyer, or orders:create at its branch): lines are priced afresh. */
export const editDraftCommand = defineCommand({
  name: "order.draft.updated",
  description: "A draft order was edited: lines (re-priced from the catalog), currency, delivery date, ship-to or note (before and after in the metadata).",
  access: { permission: "orders:create" },
  input: editDraftSchema,
  async run(ctx, input) {
    const { tx, principal } = ctx;
    const orgId = principal.org?.id ?? notFound("Organization");
    const order = await lockOrder(tx, orgId, input.orderId, input.version);
    assertMayChangeDraft(ctx, order);
    if (order.status !== "draft") throw new ConflictError(`Only a draft can be edited; this order is ${order.status}.`, "status");
    const changes: Partial<typeof orders.$inferInsert> = {};
    const before: Record<string, unknown> = {};
    if (input.lines || input.currency) {
      const current = input.lines ?? (await tx.select({ sku: orderLines.sku, quantity: orderLines.quantity }).from(orderLines).where(and(eq(orderLines.orgId, orgId), eq(orderLines.orderId, order.id))));
      const priced = await priceDraft(tx, orgId, current, input.currency ?? order.currency);
      await tx.delete(orderLines).where(and(eq(orderLines.orgId, orgId), eq(orderLines.orderId, order.id)));
      await tx.insert(orderLines).values(
        priced.lines.map((l) => ({ orgId, orderId: order.id, lineNo: l.lineNo, productId: l.productId, sku: l.sku, description: l.name, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, totalMinor: l.totalMinor })),
      );
      Object.assign(before, { currency: order.currency, totalMinor: order.totalMinor });
      Object.assign(changes, { currency: priced.currency, subtotalMinor: priced.subtotalMinor, totalMinor: priced.subtotalMinor, taxMinor: 0 });
    }
    if (input.shipToAddressId !== undefined) {
      before.shipTo = order.shipTo?.addressId ?? null;
      changes.shipTo = input.shipToAddressId === null ? null : await resolveShipTo(tx, principal, order.branchId, input.shipToAddressId);
    }
    if (input.requestedDeliveryDate !== undefined) {
      before.requestedDeliveryDate = order.requestedDeliveryDate;
      changes.requestedDeliveryDate = input.requestedDeliveryDate;
    }
    if (input.note !== undefined) {
      before.note = order.note;
      changes.note = input.note;
    }
    const [updated] = await tx.update(orders).set({ ...changes, ...bumpVersion() }).where(eq(orders.id, order.id)).returning();
    const after = Object.fromEntries(Object.keys(before).map((k) => [k, k === "shipTo" ? (updated!.shipTo?.addressId ?? null) : (updated as Record<string, unknown>)[k]]));
    return { result: updated!, target: { type: "order", id: order.id }, branchId: order.branchId, metadata: { before, after, version: updated!.version } };
  },
});
