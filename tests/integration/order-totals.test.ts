import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { orders } from "@/db/schema";
import type { Principal } from "@/lib/core/context";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { createOrderCommand } from "@/lib/orders/create-order";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";

/**
 * Amounts are JavaScript numbers on the way in and out, so every amount the command computes
 * (quantity × unit price, their sum, plus tax) must stay at or below 2^53 - 1: above it, a
 * number can no longer hold every integer, and the stored total would not be the one computed.
 */
const MAX = Number.MAX_SAFE_INTEGER; // 9,007,199,254,740,991

describe("JSON without losing integers beyond 2^53: order totals are bounded in the schema", () => {
  let operator: Principal;
  let branchId: string;
  let buyerId: string;
  beforeAll(async () => {
    const org = await makeOrg();
    operator = org.operator;
    branchId = (await makeBranch(operator, "Depot")).id;
    buyerId = (await makeMember(operator, { roleName: "Buyer", branchId })).userId;
  });

  const line = (quantity: number, unitPriceMinor: number) => ({ sku: "BIG", description: "Large line", quantity, unitPriceMinor });
  const create = (lines: ReturnType<typeof line>[], taxMinor = 0) => runCommand(createOrderCommand, operator, meta, { branchId, buyerId, currency: "USD", taxMinor, lines });
  const fieldsOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fieldErrors;
  };

  it("a line whose quantity × unit price is just over 2^53 - 1 is refused, naming the line's unit price", async () => {
    // 1,000,000 × 9,007,199,255 = 9,007,199,255,000,000: each factor within its own bound.
    const errors = await fieldsOf(create([line(1_000_000, 9_007_199_255)]));
    expect(Object.keys(errors)).toEqual(["lines.0.unitPriceMinor"]);
    expect(errors["lines.0.unitPriceMinor"]![0]).toMatch(/line total .* larger than the most an order can carry \(9,007,199,254,740,991 in the currency's smallest unit\)/);
  });

  it("lines that each fit but add up to more are refused, naming lines", async () => {
    const errors = await fieldsOf(create([line(1_000_000, 9_007_199_254), line(1, 1_000_000)]));
    expect(Object.keys(errors)).toEqual(["lines"]);
  });

  it("a tax that takes the total one over the bound is refused, naming taxMinor", async () => {
    // Subtotal 9,007,199,254,000,000; the largest tax that fits is 740,991.
    const errors = await fieldsOf(create([line(1_000_000, 9_007_199_254)], 740_992));
    expect(Object.keys(errors)).toEqual(["taxMinor"]);
  });

  it("a total of exactly 2^53 - 1 is accepted and stored exactly", async () => {
    const order = await create([line(1_000_000, 9_007_199_254)], 740_991);
    const [row] = await asOperator((tx) => tx.select({ subtotal: orders.subtotalMinor, total: orders.totalMinor }).from(orders).where(eq(orders.id, order.id)));
    expect(row).toEqual({ subtotal: 9_007_199_254_000_000, total: MAX });
  });
});
