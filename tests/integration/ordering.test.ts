import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import * as orderList from "@/app/api/v1/orders/route";
import * as orderItem from "@/app/api/v1/orders/[id]/route";
import * as submitRoute from "@/app/api/v1/orders/[id]/submit/route";
import * as cancelRoute from "@/app/api/v1/orders/[id]/cancel/route";
import { auditEvents, orders } from "@/db/schema";
import { asOperator } from "../support/as-operator";
import { buildOrderingWorld, call, type OrderingWorld } from "./ordering-world";

let w: OrderingWorld;
const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
beforeAll(async () => {
  w = await buildOrderingWorld();
}, 120_000);

const draft = (body: Record<string, unknown>, token = w.tokens.buyer) => call(orderList.POST, token, "POST", "/api/v1/orders", { body });
const action = (handler: unknown, id: string, token = w.tokens.buyer, body?: unknown) => call(handler, token, "POST", `/api/v1/orders/${id}/x`, { params: { id }, body });

describe("drafts", () => {
  it("a buyer drafts an order for their branch, priced by the server from the catalog, ship-to copied from the branch", async () => {
    const res = await draft({ branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku.toLowerCase(), quantity: 3 }], requestedDeliveryDate: soon, note: "Dock 4" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: "draft", currency: "USD", totalMinor: 300_00, version: 1, note: "Dock 4", requestedDeliveryDate: soon });
    expect(res.body.shipTo).toMatchObject({ addressId: w.addresses.chicago, city: "Chicago" });
    expect(res.body.lines[0]).toMatchObject({ sku: w.products.widget.sku, unitPriceMinor: 100_00, quantity: 3 });
  });

  it("a client's price or total is never trusted: unknown keys are refused", async () => {
    const res = await draft({ branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1, unitPriceMinor: 1 }] });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body.errors)).toMatch(/unitPriceMinor/);
  });

  it.each([
    ["an unknown SKU", { lines: [{ sku: "NOPE-404", quantity: 1 }] }, "lines.0.sku"],
    ["a quantity of zero", { lines: [{ sku: "X", quantity: 0 }] }, "lines.0.quantity"],
    ["an absurd quantity", { lines: [{ sku: "X", quantity: 10_000_000 }] }, "lines.0.quantity"],
    ["an inactive product", { lines: [{ sku: "RETIRED", quantity: 1 }] }, "lines.0.sku"],
    ["a currency the account does not use", { currency: "JPY" }, "currency"],
    ["a date in the past", { requestedDeliveryDate: "2001-01-01" }, "requestedDeliveryDate"],
    ["a ship-to of another branch", { shipToAddressId: "BERLIN" }, "shipToAddressId"],
  ])("bad input: %s is a 422 naming the field, and nothing is created", async (_what, patch, field) => {
    const before = await asOperator((tx) => tx.select({ id: orders.id }).from(orders).where(eq(orders.orgId, w.org.id)));
    const body: Record<string, unknown> = { branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }], ...patch };
    if (JSON.stringify(patch).includes("RETIRED")) body.lines = [{ sku: w.products.retired.sku, quantity: 1 }];
    if ("shipToAddressId" in patch) body.shipToAddressId = w.addresses.berlin;
    const res = await draft(body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toContain(field);
    const after = await asOperator((tx) => tx.select({ id: orders.id }).from(orders).where(eq(orders.orgId, w.org.id)));
    expect(after.length).toBe(before.length);
  });

  it("a branch outside the caller's orders:create scope is 404, exactly like a missing one", async () => {
    const res = await draft({ branchId: w.branches.berlin.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] });
    expect(res.status).toBe(404);
  });

  it("edits a draft with the version it saw; a stale version is 409 naming version", async () => {
    const created = await draft({ branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] });
    const id = created.body.id;
    const edited = await call(orderItem.PATCH, w.tokens.buyer, "PATCH", `/api/v1/orders/${id}`, { params: { id }, body: { version: 1, lines: [{ sku: w.products.widget.sku, quantity: 5 }], note: "more" } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: 2, totalMinor: 500_00, note: "more" });
    const stale = await call(orderItem.PATCH, w.tokens.buyer, "PATCH", `/api/v1/orders/${id}`, { params: { id }, body: { version: 1, note: "late" } });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/version 2/);
  });

  it("submitting with no rule that matches approves (places) it at once; a second submit is 409", async () => {
    const created = await draft({ branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] });
    const res = await action(submitRoute.POST, created.body.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "approved", baseTotalMinor: 100_00, baseCurrency: "USD", approvals: [] });
    expect((await action(submitRoute.POST, created.body.id)).status).toBe(409);
  });

  it("POST with submit: true drafts and submits; editing it afterwards is 409", async () => {
    const res = await draft({ branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 2 }], submit: true });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe("approved");
    const id = res.body.id;
    expect((await call(orderItem.PATCH, w.tokens.buyer, "PATCH", `/api/v1/orders/${id}`, { params: { id }, body: { note: "x" } })).status).toBe(409);
  });

  it("the buyer cancels their draft; cancelling twice is 409; a viewer may not cancel (404 for what they cannot act on is not leaked: 403 when visible)", async () => {
    const created = await draft({ branchId: w.branches.chicago.id, lines: [{ sku: w.products.widget.sku, quantity: 1 }] });
    expect((await action(cancelRoute.POST, created.body.id, w.tokens.viewer)).status).toBe(403);
    const res = await action(cancelRoute.POST, created.body.id, w.tokens.buyer, { comment: "changed my mind" });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("cancelled");
    expect((await action(cancelRoute.POST, created.body.id)).status).toBe(409);
    const events = await asOperator((tx) => tx.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, created.body.id)));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["order.drafted", "order.cancelled"]));
  });
});
