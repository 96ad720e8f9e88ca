import { readAs } from "@/lib/core/read-as";
import { describe, expect, it } from "vitest";
import { listOrders } from "@/lib/orders/list-orders";
import { getOrder } from "@/lib/orders/get-order";
import { orderListQuerySchema } from "@/lib/orders/schemas";
import { makeBranch, makeMember, makeOrder, makeOrg } from "../support/factories";

const firstPage = orderListQuerySchema.parse({});

async function buildTwoRegions() {
  const org = await makeOrg("Scope Co");
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  const berlin = await makeBranch(org.operator, "Berlin", emea.id);
  const chicagoBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const berlinBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: berlin.id });
  const chicagoOrder = await makeOrder(org.operator, { branchId: chicago.id, buyerId: chicagoBuyer.userId });
  const berlinOrder = await makeOrder(org.operator, { branchId: berlin.id, buyerId: berlinBuyer.userId });
  return { org, na, chicago, emea, berlin, chicagoBuyer, berlinBuyer, chicagoOrder, berlinOrder };
}

describe("order visibility follows the branch tree", () => {
  it("A member scoped to branch X cannot read branch Y unless a grant gives them Y", async () => {
    const t = await buildTwoRegions();
    const page = await readAs(t.chicagoBuyer.principal, (tx) => listOrders(tx, t.chicagoBuyer.principal, firstPage));
    expect(page.data.map((o) => o.id)).toEqual([t.chicagoOrder.id]);
    expect(await readAs(t.chicagoBuyer.principal, (tx) => getOrder(tx, t.chicagoBuyer.principal, t.berlinOrder.id))).toBeNull();
    expect((await readAs(t.chicagoBuyer.principal, (tx) => getOrder(tx, t.chicagoBuyer.principal, t.chicagoOrder.id)))?.number).toBe(t.chicagoOrder.number);
  });

  it("a regional manager sees the whole subtree of their region and nothing else", async () => {
    const t = await buildTwoRegions();
    const manager = await makeMember(t.org.operator, { roleName: "Manager", branchId: t.na.id });
    const page = await readAs(manager.principal, (tx) => listOrders(tx, manager.principal, firstPage));
    expect(page.data.map((o) => o.id)).toEqual([t.chicagoOrder.id]);
  });

  it("an org-root admin sees every order of the org", async () => {
    const t = await buildTwoRegions();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    const page = await readAs(admin.principal, (tx) => listOrders(tx, admin.principal, firstPage));
    expect(page.data.map((o) => o.id).sort()).toEqual([t.chicagoOrder.id, t.berlinOrder.id].sort());
  });

  it("Nothing crosses tenants: org A's admin never sees org B's orders", async () => {
    const a = await buildTwoRegions();
    const b = await buildTwoRegions();
    const adminA = await makeMember(a.org.operator, { roleName: "Admin" });
    const page = await readAs(adminA.principal, (tx) => listOrders(tx, adminA.principal, firstPage));
    expect(page.data.map((o) => o.id)).not.toContain(b.chicagoOrder.id);
    expect(await readAs(adminA.principal, (tx) => getOrder(tx, adminA.principal, b.chicagoOrder.id))).toBeNull();
  });
});

describe("orders:read together with orders:read-own", () => {
  it("pages through the union of the subtree and the member's own orders elsewhere, both ways, with no duplicates or gaps", async () => {
    const t = await buildTwoRegions();
    const buyer = await makeMember(t.org.operator, { roleName: "Buyer", branchId: t.chicago.id });
    const expected = new Set<string>([t.chicagoOrder.id]);
    for (let i = 0; i < 7; i++) expected.add((await makeOrder(t.org.operator, { branchId: t.berlin.id, buyerId: buyer.userId, totalMinor: 100 + i })).id);
    for (let i = 0; i < 6; i++) expected.add((await makeOrder(t.org.operator, { branchId: t.chicago.id, buyerId: t.chicagoBuyer.userId, totalMinor: 200 + i })).id);
    for (const sort of ["placed", "total", "number"] as const) {
      const seen: string[] = [];
      let page = await readAs(buyer.principal, (tx) => listOrders(tx, buyer.principal, orderListQuerySchema.parse({ sort, limit: 4 })));
      seen.push(...page.data.map((o) => o.id));
      while (page.nextCursor) {
        page = await readAs(buyer.principal, (tx) => listOrders(tx, buyer.principal, orderListQuerySchema.parse({ sort, limit: 4, cursor: page.nextCursor })));
        seen.push(...page.data.map((o) => o.id));
      }
      expect(new Set(seen).size, `${sort}: no duplicates`).toBe(seen.length);
      expect(new Set(seen), `${sort}: exactly the visible orders`).toEqual(expected);
      // Walk back from the last page to the first: the same rows in the same order.
      const back: string[] = [...page.data.map((o) => o.id)];
      while (page.prevCursor) {
        page = await readAs(buyer.principal, (tx) => listOrders(tx, buyer.principal, orderListQuerySchema.parse({ sort, limit: 4, before: page.prevCursor })));
        back.unshift(...page.data.map((o) => o.id));
      }
      expect(back, `${sort}: backwards`).toEqual(seen);
    }
    // Berlin's other orders stay out of sight.
    const foreign = await makeOrder(t.org.operator, { branchId: t.berlin.id, buyerId: t.berlinBuyer.userId });
    expect(await readAs(buyer.principal, (tx) => getOrder(tx, buyer.principal, foreign.id))).toBeNull();
  });
});
