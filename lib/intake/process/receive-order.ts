import { orderLines, orders } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { defineCommand, notFound } from "@/lib/core/command";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { insertApprovalSteps, routeOrder } from "./apply-approval-rules";
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
    // The account's terms once, for pricing and for the rules (a buyer's submission reads them twice),
    // sent with the branch's read: nothing is written before the authorization below.
    const [found, terms] = await Promise.all([findBranch(tx, orgId, input.branchId), loadAccountTerms(tx, orgId)]);
    const branch = found ?? notFound("Branch");
    authorize("orders:create", branch.path);
    const [lines, buyerId, number, shipTo] = await Promise.all([
      priceIntakeLines(tx, orgId, input.currency, input.lines, { terms }),
      findBuyerOfRecord(tx, orgId),
      chooseOrderNumber(tx, orgId, input.preferredNumber),
      copyShipTo(tx, orgId, branch.id, input.shipToAddressId),
    ]);
    const subtotalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
    // Routed before the insert, so the order row is written once with its final status.
    const routed = input.submit ? await routeOrder(tx, principal, { orgId, branchPath: branch.path, currency: input.currency }, lines, { terms }) : null;
    const now = new Date();
    const [order] = await tx
      .insert(orders)
      .values({
        orgId, number, branchId: branch.id, buyerId, status: routed?.status ?? "draft", currency: input.currency, subtotalMinor, taxMinor: 0, totalMinor: subtotalMinor,
        requestedDeliveryDate: input.requestedDeliveryDate, shipTo, note: input.note,
        ...(routed ? { baseTotalMinor: routed.baseTotalMinor, baseCurrency: routed.baseCurrency, submittedAt: now, placedAt: now } : {}),
      })
      .returning({ id: orders.id });
    await tx.insert(orderLines).values(lines.map((l) => storedLineValues(l, orgId, order!.id)));
    const waitingStepIds = routed ? await insertApprovalSteps(tx, { id: order!.id, orgId, branchId: branch.id }, routed.steps) : [];
    const status = routed?.status ?? "draft";
    const submitted = routed ? { rules: routed.rules, waitingStepIds } : null;
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
