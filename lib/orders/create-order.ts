import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { memberships, orderLines, orders } from "@/db/schema";
import { findBranch } from "@/lib/branches/find-branch";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/core/errors";
import { createOrderSchema } from "./schemas";

/** Creates an order with its lines for a branch where the actor holds orders:create. */
export const createOrderCommand = defineCommand({
  name: "order.created",
  description: "An order was created with its lines for a branch (number, status, currency, total and line count in the metadata).",
  access: { permission: "orders:create" },
  input: createOrderSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const isOperator = principal.actor.type === "system";
    if (!isOperator && (input.buyerId || input.placedAt || input.status)) {
      throw new ForbiddenError("Only imports may set the buyer, placement time or status of an order.");
    }
    const branch = (await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch");
    authorize("orders:create", branch.path);

    const buyerId = input.buyerId ?? actorUserId(principal.actor);
    if (!buyerId) throw new ValidationError({ buyerId: ["is required when the operator creates an order"] });
    const [buyer] = await tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, buyerId)));
    if (!buyer) throw new ValidationError({ buyerId: ["is not a member of this organization"] });

    const number = input.number ?? generateOrderNumber();
    const [clash] = await tx.select({ id: orders.id }).from(orders).where(and(eq(orders.orgId, orgId), eq(orders.number, number)));
    if (clash) throw new ConflictError(`Order number ${number} is already used.`, "number");

    const lines = input.lines.map((l, i) => ({ ...l, lineNo: i + 1, totalMinor: l.quantity * l.unitPriceMinor }));
    const subtotalMinor = lines.reduce((sum, l) => sum + l.totalMinor, 0);
    const [order] = await tx
      .insert(orders)
      .values({
        orgId,
        number,
        branchId: branch.id,
        buyerId,
        status: input.status ?? "submitted",
        currency: input.currency,
        subtotalMinor,
        taxMinor: input.taxMinor,
        totalMinor: subtotalMinor + input.taxMinor,
        ...(input.placedAt ? { placedAt: input.placedAt, createdAt: input.placedAt, updatedAt: input.placedAt } : {}),
      })
      .returning();
    await tx.insert(orderLines).values(lines.map((l) => ({ ...l, orgId, orderId: order!.id })));
    return {
      result: order!,
      target: { type: "order", id: order!.id, label: number },
      branchId: branch.id,
      metadata: { after: { number, branchId: branch.id, status: order!.status, currency: input.currency, totalMinor: order!.totalMinor, lines: lines.length } },
    };
  },
});

function generateOrderNumber(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  return `PO-${day}-${randomBytes(4).toString("hex").toUpperCase()}`;
}
