import { randomBytes } from "node:crypto";
import { orderLines, orders } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { ForbiddenError } from "@/lib/core/errors";
import { draftOrderSchema } from "./draft-schemas";
import { priceDraft, resolveShipTo } from "./order-draft-parts";

/**
 * A buyer's draft for a branch where they hold orders:create: lines by SKU, priced on the server
 * from the catalog (the account's price, else the list price), the ship-to address copied from
 * the branch's, a requested delivery date and a note. Nothing is sent for approval yet.
 */
export const draftOrderCommand = defineCommand({
  name: "order.drafted",
  description: "A buyer created a draft order for a branch, priced from the catalog (number, currency, total and line count in the metadata).",
  access: { permission: "orders:create" },
  input: draftOrderSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const buyerId = actorUserId(principal.actor);
    if (!buyerId) throw new ForbiddenError("Only a member can draft an order.");
    const branch = (await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch");
    authorize("orders:create", branch.path);
    const priced = await priceDraft(tx, orgId, input.lines, input.currency);
    const shipTo = await resolveShipTo(tx, principal, branch.id, input.shipToAddressId);
    const [order] = await tx
      .insert(orders)
      .values({
        orgId,
        number: generateOrderNumber(),
        branchId: branch.id,
        buyerId,
        status: "draft",
        currency: priced.currency,
        subtotalMinor: priced.subtotalMinor,
        taxMinor: 0,
        totalMinor: priced.subtotalMinor,
        requestedDeliveryDate: input.requestedDeliveryDate ?? null,
        shipTo,
        note: input.note ?? "",
      })
      .returning();
    await tx.insert(orderLines).values(
      priced.lines.map((l) => ({ orgId, orderId: order!.id, lineNo: l.lineNo, productId: l.productId, sku: l.sku, description: l.name, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, totalMinor: l.totalMinor })),
    );
    return {
      result: order!,
      target: { type: "order", id: order!.id },
      branchId: branch.id,
      metadata: { after: { number: order!.number, branchId: branch.id, status: "draft", currency: priced.currency, totalMinor: priced.subtotalMinor, lines: priced.lines.length } },
    };
  },
});

export function generateOrderNumber(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  return `PO-${day}-${randomBytes(4).toString("hex").toUpperCase()}`;
}
