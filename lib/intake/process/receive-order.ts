import { orderLines, orders } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { defineCommand, notFound } from "@/lib/core/command";
import { applyApprovalRules } from "./apply-approval-rules";
import { receiveOrderSchema } from "./intake-order-schemas";
import { assertChannelActor, chooseOrderNumber, copyShipTo, findBuyerOfRecord, priceIntakeLines, storedLineValues } from "./intake-order-parts";

/**
 * An order that arrived through an intake channel: created in the mapped account, priced like a buyer's
 * (the sender's price only for free-text lines), then submitted through the branch's approval rules, or
 * left a draft when a rule held it for a person. The actor is the channel (lib/intake/process/channel-principal.ts).
 */
export const receiveOrderCommand = defineCommand({
  name: "order.received",
  description: "An intake channel created an order from a sender's document (channel, message, document number, status, total and line count in the metadata; the actor is the channel).",
  access: { permission: "orders:create" },
  input: receiveOrderSchema,
  async run({ tx, principal, authorize }, input) {
    assertChannelActor(principal.actor.type);
    const orgId = principal.org?.id ?? notFound("Organization");
    const branch = (await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch");
    authorize("orders:create", branch.path);
    const [lines, buyerId, number, shipTo] = await Promise.all([
      priceIntakeLines(tx, orgId, input.currency, input.lines),
      findBuyerOfRecord(tx, orgId),
      chooseOrderNumber(tx, orgId, input.preferredNumber),
      copyShipTo(tx, orgId, branch.id, input.shipToAddressId),
    ]);
    const subtotalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
    const [order] = await tx
      .insert(orders)
      .values({ orgId, number, branchId: branch.id, buyerId, status: "draft", currency: input.currency, subtotalMinor, taxMinor: 0, totalMinor: subtotalMinor, requestedDeliveryDate: input.requestedDeliveryDate, shipTo, note: input.note })
      .returning();
    await tx.insert(orderLines).values(lines.map((l) => storedLineValues(l, orgId, order!.id)));
    const submitted = input.submit ? await applyApprovalRules(tx, principal, { id: order!.id, orgId, branchId: branch.id, branchPath: branch.path, currency: input.currency }, lines) : null;
    const status = submitted?.status ?? "draft";
    return {
      result: { orderId: order!.id, number, status, totalMinor: subtotalMinor, waitingStepIds: submitted?.waitingStepIds ?? [] },
      target: { type: "order", id: order!.id, label: number },
      branchId: branch.id,
      metadata: {
        source: input.source,
        after: { number, branchId: branch.id, status, currency: input.currency, totalMinor: subtotalMinor, lines: lines.length, freeTextLines: lines.filter((l) => l.productId === null).length },
        rules: submitted?.rules ?? [],
      },
    };
  },
});
