import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runCommand } from "@/lib/core/command";
import { createOrderCommand } from "@/lib/orders/create-order";
import { asOperator } from "../support/as-operator";
import { meta } from "../support/factories";
import { buildOrderingWorld, type OrderingWorld } from "./ordering-world";

// The order rollups are striped (migration stripe_order_rollups): two orders of one account,
// buyer and week whose ids name different slots change status without waiting for each other.
// Before, both moved through the same two rollup rows, so the second waited for the first's commit.

let w: OrderingWorld;
beforeAll(async () => {
  w = await buildOrderingWorld();
}, 120_000);

const slotOf = async (id: string) => Number((await asOperator((tx) => tx.execute(sql`select order_rollup_slot(${id}::uuid) as s`)))[0]!.s);
const draft = async () => (await runCommand(createOrderCommand, w.org.operator, meta, { branchId: w.branches.chicago.id, buyerId: w.members.buyer.userId, currency: "USD", status: "draft", lines: [{ sku: "S-1", description: "Thing", quantity: 1, unitPriceMinor: 10_00 }] })).id as string;

/** Two drafts of the same buyer, branch, currency and week, in different slots. */
async function twoDraftsInDifferentSlots(): Promise<[string, string]> {
  const first = await draft();
  for (let i = 0; i < 40; i++) {
    const other = await draft();
    if ((await slotOf(other)) !== (await slotOf(first))) return [first, other];
  }
  throw new Error("40 drafts in one slot: order_rollup_slot does not spread ids");
}

describe("the striped order rollups", () => {
  it("let a second submission in the same account commit while the first is still open", async () => {
    const [a, b] = await twoDraftsInDifferentSlots();
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstHolds!: () => void;
    const firstHasLocked = new Promise<void>((resolve) => (firstHolds = resolve));
    const first = asOperator(async (tx) => {
      await tx.execute(sql`update orders set status = 'submitted', placed_at = now() where id = ${a}`);
      firstHolds();
      await firstMayCommit;
    });
    await firstHasLocked;
    // Without the stripes this waits on the first transaction's rollup rows and times out.
    const second = asOperator(async (tx) => {
      await tx.execute(sql`set local lock_timeout = '3s'`);
      await tx.execute(sql`update orders set status = 'submitted', placed_at = now() where id = ${b}`);
    });
    const outcome = await second.then(() => "committed", (e: Error) => `failed: ${e.message}`);
    releaseFirst();
    await first;
    expect(outcome).toBe("committed");
  });

  it("count every order once across the slots, whatever slot its status changes happen in", async () => {
    const totals = () =>
      asOperator(async (tx) => ({
        monthly: [...(await tx.execute(sql`select status::text, sum(order_count)::int as n from order_monthly_totals where org_id = ${w.org.id} group by 1 order by 1`))],
        truth: [...(await tx.execute(sql`select status::text, count(*)::int as n from orders where org_id = ${w.org.id} group by 1 order by 1`))],
        negative: Number((await tx.execute(sql`select count(*) as n from order_weekly_totals where org_id = ${w.org.id} and order_count < 1`))[0]!.n),
      }));
    const ids = await Promise.all(Array.from({ length: 12 }, () => draft()));
    await Promise.all(ids.map((id, i) => asOperator((tx) => tx.execute(sql`update orders set status = ${i % 3 === 0 ? "cancelled" : "submitted"}, placed_at = now() where id = ${id}`))));
    const t = await totals();
    expect(t.monthly).toEqual(t.truth);
    expect(t.negative).toBe(0);
  });
});
