import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { runCommand } from "@/lib/core/command";
import { systemMeta } from "@/lib/core/request-meta";
import { seedDemo } from "@/lib/demo/seed-demo";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { approveOrderCommand } from "@/lib/orders/decide-order";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { getOrder } from "@/lib/orders/get-order";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { readAs } from "@/lib/core/read-as";
import { asOperator } from "../support/as-operator";

describe("demo: the buyer orders USD 6,000 in Chicago, the manager approves, the buyer sees it placed", () => {
  it("walks the issue's flow on the seeded data", async () => {
    const { org } = await seedDemo(getDb(), { orderCount: 0 });
    const meta = systemMeta("test");
    const users = await asOperator((tx) => tx.execute<{ id: string; email: string }>(sql`select id, email from users where email in ('buyer@acme.test', 'manager@acme.test', 'admin@acme.test')`));
    const principal = async (email: string) => (await loadMemberPrincipal(getDb(), { type: "user", userId: users.find((u) => u.email === email)!.id, label: email }, org.slug))!;
    const buyer = await principal("buyer@acme.test");
    const manager = await principal("manager@acme.test");
    const [chicago] = await asOperator((tx) => tx.execute<{ id: string }>(sql`select id from branches where org_id = ${org.id} and name = 'Chicago'`));
    // HX-2210 at Acme's own price, USD 17.50: 343 boxes are USD 6,002.50.
    const draft = await runCommand(draftOrderCommand, buyer, meta, { branchId: chicago!.id, lines: [{ sku: "HX-2210", quantity: 343 }] });
    expect(draft.shipTo?.city).toBe("Chicago");
    const submitted = await runCommand(submitOrderCommand, buyer, meta, { orderId: draft.id });
    expect(submitted.outcome).toBe("waiting");
    await runCommand(approveOrderCommand, manager, meta, { orderId: draft.id, comment: "Approved for the Chicago dock" });
    const seen = await readAs(buyer, (tx) => getOrder(tx, buyer, draft.id));
    expect(seen).toMatchObject({ status: "approved", totalMinor: 600_250 });
    expect(seen!.approvals).toEqual([expect.objectContaining({ rule: "North America over USD 5,000", status: "approved", decidedBy: "Manny Manager", comment: "Approved for the Chicago dock" })]);
  }, 180_000);
});
