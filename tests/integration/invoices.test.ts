import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import * as invoiceList from "@/app/api/v1/invoices/route";
import * as invoiceItem from "@/app/api/v1/invoices/[id]/route";
import * as approveRoute from "@/app/api/v1/invoices/[id]/approve/route";
import * as disputeRoute from "@/app/api/v1/invoices/[id]/dispute/route";
import { auditEvents, invoices, orders } from "@/db/schema";
import { runCommand } from "@/lib/core/command";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { approveInvoiceCommand } from "@/lib/invoices/decide-invoice";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, makeOrder, meta } from "../support/factories";
import { raceBehind } from "../support/race-behind";
import { makeSupplier, makeSupplierStaff } from "../support/supplier-factories";
import { buildOrderingWorld, call, roleIdOf, type OrderingWorld } from "./ordering-world";

let w: OrderingWorld;
let supplier: { issuer: string; viewer: string };
beforeAll(async () => {
  w = await buildOrderingWorld();
  const issuer = await makeSupplierStaff("Account manager");
  const viewer = await makeSupplierStaff("Viewer");
  const s = await makeSupplier();
  const mint = async (email: string) => (await runCommand(createApiTokenCommand, s.operator, meta, { email })).token;
  supplier = { issuer: await mint(issuer.email), viewer: await mint(viewer.email) };
});

/** A placed order at Chicago: no rule here, so submitting approves it at once. */
async function placed(quantity = 3, buyer = w.members.buyer) {
  const draft = await runCommand(draftOrderCommand, buyer.principal, meta, { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity }] });
  await runCommand(submitOrderCommand, buyer.principal, meta, { orderId: draft.id });
  return draft;
}
const issue = (body: unknown, token = supplier.issuer) => call(invoiceList.POST, token, "POST", "/api/v1/invoices", { body });
const decide = (route: unknown, id: string, token: string, body?: unknown) => call(route, token, "POST", `/api/v1/invoices/${id}/x`, { params: { id }, body });

describe("issuing an invoice (the supplier, through REST)", () => {
  it("copies the order's amounts on the server and is audited on the supplier's chain", async () => {
    const order = await placed(3);
    const res = await issue({ orderId: order.id, dueInDays: 14 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ orderId: order.id, status: "issued", currency: "USD", totalMinor: 300_00, baseTotalMinor: 300_00, baseCurrency: "USD", version: 1, branchName: "Chicago" });
    const [event] = await asOperator((tx) => tx.select({ action: auditEvents.action, orgId: auditEvents.orgId }).from(auditEvents).where(eq(auditEvents.targetId, res.body.id)));
    expect(event?.action).toBe("invoice.issued");
    expect(event?.orgId).not.toBe(w.org.id);
  });

  it("refuses a client's amount, a second invoice, an order not placed, an unknown order and another kind of org's order", async () => {
    const order = await placed(1);
    const priced = await issue({ orderId: order.id, totalMinor: 1 });
    expect(priced.status).toBe(422);
    expect(priced.body.errors).toHaveProperty("totalMinor");
    expect((await issue({ orderId: order.id })).status).toBe(201);
    const again = await issue({ orderId: order.id });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already has invoice/);
    const draft = await runCommand(draftOrderCommand, w.members.buyer.principal, meta, { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] });
    expect((await issue({ orderId: draft.id })).status).toBe(409);
    expect((await issue({ orderId: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    const stranger = await makeOrg("Not an account");
    const theirs = await makeOrder(stranger.operator, { branchId: (await makeBranch(stranger.operator, "HQ")).id, buyerId: (await makeMember(stranger.operator, { roleName: "Buyer" })).userId });
    expect((await issue({ orderId: theirs.id })).status).toBe(404);
  });

  it("bad input: negative or absurd due days, NUL bytes, prototype keys, a malformed id", async () => {
    const order = await placed(1);
    for (const body of [{ orderId: order.id, dueInDays: -1 }, { orderId: order.id, dueInDays: 1e12 }, { orderId: "x\u0000" }, JSON.parse(`{"orderId":"${order.id}","__proto__":{"admin":true}}`), { orderId: "not-an-id" }, [], "text"]) {
      const res = await issue(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const [row] = await asOperator((tx) => tx.select({ n: sql<number>`count(*)::int` }).from(invoices).where(eq(invoices.orderId, order.id)));
    expect(row!.n).toBe(0);
  });

  it("only supplier staff with invoices:issue: a customer's admin and a supplier viewer are 403", async () => {
    const order = await placed(1);
    expect((await issue({ orderId: order.id }, w.tokens.admin)).status).toBe(403);
    expect((await issue({ orderId: order.id }, supplier.viewer)).status).toBe(403);
  });
});

describe("reading and deciding invoices (the account's members)", () => {
  let chicagoInvoice: { id: string; version: number };
  beforeAll(async () => {
    const order = await placed(4);
    chicagoInvoice = (await issue({ orderId: order.id })).body;
  });

  it("invoices:read sees its branches' invoices; another region's manager sees none and gets 404", async () => {
    const list = await call(invoiceList.GET, w.tokens.viewer, "GET", "/api/v1/invoices?limit=200");
    expect(list.status).toBe(200);
    expect(list.body.data.map((i: { id: string }) => i.id)).toContain(chicagoInvoice.id);
    expect((await call(invoiceItem.GET, w.tokens.viewer, "GET", "/api/v1/invoices/x", { params: { id: chicagoInvoice.id } })).status).toBe(200);
    const emea = await call(invoiceList.GET, w.tokens.emeaManager, "GET", "/api/v1/invoices?limit=200");
    expect(emea.body.data).toEqual([]);
    expect((await call(invoiceItem.GET, w.tokens.emeaManager, "GET", "/api/v1/invoices/x", { params: { id: chicagoInvoice.id } })).status).toBe(404);
    expect((await decide(approveRoute.POST, chicagoInvoice.id, w.tokens.emeaManager)).status).toBe(404);
  });

  it("pages by issue time with a cursor, and refuses a forged one", async () => {
    for (let i = 0; i < 3; i++) await issue({ orderId: (await placed(1)).id });
    const first = await call(invoiceList.GET, w.tokens.admin, "GET", "/api/v1/invoices?limit=2");
    expect(first.body.data).toHaveLength(2);
    const second = await call(invoiceList.GET, w.tokens.admin, "GET", `/api/v1/invoices?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.body.data.map((i: { id: string }) => i.id)).not.toContain(first.body.data[0].id);
    expect((await call(invoiceList.GET, w.tokens.admin, "GET", "/api/v1/invoices?cursor=Zm9yZ2Vk")).status).toBe(422);
    expect((await call(invoiceList.GET, w.tokens.admin, "GET", "/api/v1/invoices?status=paid")).status).toBe(422);
  });

  it("a viewer without invoices:approve is 403; the buyer never decides the invoice of their own order", async () => {
    expect((await decide(approveRoute.POST, chicagoInvoice.id, w.tokens.viewer)).status).toBe(403);
    // The buyer given Approver at Chicago still may not approve their own order's invoice.
    await runCommand(addGrantCommand, w.org.operator, meta, { membershipId: w.members.buyer.membershipId, roleId: await roleIdOf(w.org.id, "Approver"), branchId: w.branches.chicago.id });
    const res = await decide(approveRoute.POST, chicagoInvoice.id, w.tokens.buyer);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/their own order/);
  });

  it("an approval limit below the invoice's total is 403, naming the limit", async () => {
    const limited = await makeMember(w.org.operator, { roleName: "Viewer", branchId: w.branches.chicago.id });
    await runCommand(addGrantCommand, w.org.operator, meta, { membershipId: limited.membershipId, roleId: await roleIdOf(w.org.id, "Approver"), branchId: w.branches.chicago.id, approvalLimitMinor: 100_00, approvalLimitCurrency: "USD" });
    const token = (await runCommand(createApiTokenCommand, w.org.operator, meta, { email: limited.email })).token;
    const res = await decide(approveRoute.POST, chicagoInvoice.id, token);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/approval limit/);
  });

  it("a dispute needs a comment; the manager approves; approving or disputing again, or with a stale version, is 409", async () => {
    const noComment = await decide(disputeRoute.POST, chicagoInvoice.id, w.tokens.manager, {});
    expect(noComment.status).toBe(422);
    expect(noComment.body.errors.comment).toEqual(["is required: say what is wrong with the invoice"]);
    expect((await decide(disputeRoute.POST, chicagoInvoice.id, w.tokens.manager, { comment: "   " })).body.errors.comment).toEqual(["is required: say what is wrong with the invoice"]);
    expect((await decide(approveRoute.POST, chicagoInvoice.id, w.tokens.manager, { version: 99 })).status).toBe(409);
    const ok = await decide(approveRoute.POST, chicagoInvoice.id, w.tokens.manager, { version: 1, comment: "Matches the delivery." });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "approved", version: 2, comment: "Matches the delivery." });
    expect((await decide(approveRoute.POST, chicagoInvoice.id, w.tokens.admin)).status).toBe(409);
    expect((await decide(disputeRoute.POST, chicagoInvoice.id, w.tokens.admin, { comment: "late" })).status).toBe(409);
    const [event] = await asOperator((tx) => tx.select({ orgId: auditEvents.orgId }).from(auditEvents).where(sql`${auditEvents.targetId} = ${chicagoInvoice.id} and ${auditEvents.action} = 'invoice.approved'`));
    expect(event?.orgId).toBe(w.org.id);
  });

  it("a dispute records its reason", async () => {
    const invoice = (await issue({ orderId: (await placed(2)).id })).body;
    const res = await decide(disputeRoute.POST, invoice.id, w.tokens.manager, { comment: "Two widgets arrived broken." });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "disputed", comment: "Two widgets arrived broken." });
  });

  it("two approvals racing on one invoice: exactly one wins, the other is 409 (the row is locked; forced every run)", async () => {
    const invoice = (await issue({ orderId: (await placed(2)).id })).body;
    const results = await raceBehind(
      (tx) => tx.execute(sql`select 1 from invoices where id = ${invoice.id} for update`),
      [w.members.manager.principal, w.members.admin.principal].map((p) => () => runCommand(approveInvoiceCommand, p, meta, { invoiceId: invoice.id })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as { code: string }).code).toBe("conflict");
    const [row] = await asOperator((tx) => tx.select({ status: invoices.status, version: invoices.version }).from(invoices).where(eq(invoices.id, invoice.id)));
    expect(row).toEqual({ status: "approved", version: 2 });
  });

  it("the order itself is unchanged by its invoice", async () => {
    const [row] = await asOperator((tx) => tx.select({ status: orders.status }).from(orders).innerJoin(invoices, eq(invoices.orderId, orders.id)).where(eq(invoices.id, chicagoInvoice.id)));
    expect(row?.status).toBe("approved");
  });
});
