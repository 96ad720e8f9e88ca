import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, orderMonthlyTotals, orders } from "@/db/schema";
import { convertToBaseMinor, loadAccountTerms } from "@/lib/accounts/account-terms";
import { last12Months } from "@/lib/accounts/account-activity";
import { getAccount, listAccounts, listOrgsWithoutAccount } from "@/lib/accounts/list-accounts";
import { listSupplierOrders } from "@/lib/accounts/list-supplier-orders";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { accountListQuerySchema, supplierOrderListQuerySchema } from "@/lib/accounts/schemas";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { updateAccountCommand } from "@/lib/accounts/update-account";
import { runCommand } from "@/lib/core/command";
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { createOrderCommand } from "@/lib/orders/create-order";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";
import { makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

async function fieldErrorsOf(run: Promise<unknown>) {
  const error = await run.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

async function accountWithOrders(name: string) {
  const org = await makeOrg(name);
  const branch = await makeBranch(org.operator, "Main");
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: branch.id });
  await openAccount(org.id, { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.1" }] });
  const place = (currency: string, unitPriceMinor: number, status: "submitted" | "approved" | "draft" | "rejected", placedAt = new Date()) =>
    runCommand(createOrderCommand, org.operator, meta, { branchId: branch.id, buyerId: buyer.userId, currency, status, placedAt, lines: [{ sku: "S", description: "D", quantity: 1, unitPriceMinor }] });
  return { org, branch, buyer, place };
}

describe("accounts: open and update", () => {
  it("account managers open an account; a second one for the same org is a conflict, and a non-customer org is not found", async () => {
    const manager = await makeSupplierStaff("Account manager");
    const org = await makeOrg("Fresh Co");
    expect((await readAsSupplier(manager.principal, "accounts:read", (tx) => listOrgsWithoutAccount(tx))).map((o) => o.id)).toContain(org.id);
    await runCommand(openAccountCommand, manager.principal, meta, { orgId: org.id, baseCurrency: "GBP", currencies: [{ currency: "EUR", rateToBase: "0.86" }], creditLimitMinor: 100_000 });
    await expect(runCommand(openAccountCommand, manager.principal, meta, { orgId: org.id, baseCurrency: "GBP" })).rejects.toBeInstanceOf(ConflictError);
    const supplier = await makeSupplier();
    await expect(runCommand(openAccountCommand, manager.principal, meta, { orgId: supplier.id, baseCurrency: "GBP" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(runCommand(openAccountCommand, manager.principal, meta, { orgId: crypto.randomUUID(), baseCurrency: "GBP" })).rejects.toBeInstanceOf(NotFoundError);
    const terms = await readAs((await makeMember(org.operator, { roleName: "Buyer" })).principal, (tx) => loadAccountTerms(tx, org.id));
    expect(terms).toEqual({ accountOrgId: org.id, baseCurrency: "GBP", currencies: [{ currency: "GBP", rateToBase: "1", isBase: true }, { currency: "EUR", rateToBase: "0.86", isBase: false }] });
    expect(convertToBaseMinor(terms!, 100_00, "EUR")).toBe(86_00);
    expect(convertToBaseMinor(terms!, 100_00, "USD")).toBeNull();
  });

  it("too little permission: a supplier Viewer or Catalog manager cannot open or change an account", async () => {
    const org = await makeOrg("Guarded Co");
    for (const role of ["Viewer", "Catalog manager"]) {
      const staff = await makeSupplierStaff(role);
      await expect(runCommand(openAccountCommand, staff.principal, meta, { orgId: org.id, baseCurrency: "USD" })).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it("bad input names the field and the rule: an unknown currency, a bad rate, a duplicate, a negative credit limit, NUL in the tier", async () => {
    const s = await makeSupplier();
    const org = await makeOrg("Picky Co");
    const open = (input: Record<string, unknown>) => fieldErrorsOf(runCommand(openAccountCommand, s.operator, meta, { orgId: org.id, baseCurrency: "USD", ...input }));
    expect(await open({ baseCurrency: "XYZ" })).toEqual({ baseCurrency: ["is not an ISO 4217 currency"] });
    expect(await open({ baseCurrency: "usd" })).toEqual({ baseCurrency: [expect.stringContaining("three-letter ISO 4217 code in capitals")] });
    expect(await open({ currencies: [{ currency: "EUR", rateToBase: "1,08" }] })).toEqual({ "currencies.0.rateToBase": [expect.stringContaining('"1,08" is not a rate')] });
    expect(await open({ currencies: [{ currency: "EUR", rateToBase: "1.1" }, { currency: "EUR", rateToBase: "1.2" }] })).toEqual({ "currencies.1.currency": ["EUR is listed twice"] });
    expect(await open({ currencies: [{ currency: "USD", rateToBase: "2" }] })).toEqual({ "currencies.0.rateToBase": ["USD is the base currency, so its rate is 1"] });
    expect(await open({ creditLimitMinor: -1 })).toEqual({ creditLimitMinor: ["must not be negative"] });
    expect(await open({ tier: "Gold\u0000" })).toEqual({ tier: ["must not contain NUL characters (\\u0000)"] });
    expect(await open({ orgId: "__proto__" })).toEqual({ orgId: ["must be an organization id"] });
  });

  it("updates tier, credit limit and currencies, recording before and after; a base change needs the limit again", async () => {
    const s = await makeSupplier();
    const a = await accountWithOrders("Growing Co");
    await runCommand(updateAccountCommand, s.operator, meta, { accountId: a.org.id, tier: "Platinum", creditLimitMinor: null });
    const errors = await fieldErrorsOf(runCommand(updateAccountCommand, s.operator, meta, { accountId: a.org.id, baseCurrency: "EUR" }));
    expect(errors).toEqual({ currencies: [expect.stringContaining("is required when the base currency changes")] });
    await runCommand(updateAccountCommand, s.operator, meta, { accountId: a.org.id, baseCurrency: "EUR", currencies: [{ currency: "USD", rateToBase: "0.91" }] });
    const summary = await asOperator((tx) => getAccount(tx, s, a.org.id));
    expect(summary).toMatchObject({ tier: "Platinum", creditLimitMinor: null, baseCurrency: "EUR", currencies: [{ currency: "EUR", rateToBase: "1" }, { currency: "USD", rateToBase: "0.91" }] });
    await expect(runCommand(updateAccountCommand, s.operator, meta, { accountId: crypto.randomUUID(), tier: "X" })).rejects.toBeInstanceOf(NotFoundError);
    const events = await asOperator((tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.action, "account.updated"), eq(auditEvents.targetId, a.org.id))).orderBy(auditEvents.seq));
    expect(events.map((e) => e.orgId)).toEqual([s.id, s.id]); // the supplier's chain, not the customer's
    expect(events[0]!.metadata).toMatchObject({ before: { tier: "Gold", creditLimitMinor: 5_000_000 }, after: { tier: "Platinum", creditLimitMinor: null } });
    expect(events[1]!.metadata).toMatchObject({ before: { baseCurrency: "USD" }, after: { baseCurrency: "EUR", currencies: [{ currency: "USD", rateToBase: "0.91" }] } });
  });
});

describe("accounts: activity from the monthly rollup", () => {
  it("counts placed orders and their value in the base currency over 12 months, and orders waiting for approval", async () => {
    const a = await accountWithOrders("Busy Co");
    const old = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    await a.place("USD", 100_00, "approved");
    await a.place("EUR", 100_00, "submitted");
    await a.place("USD", 50_00, "draft"); // not placed
    await a.place("USD", 70_00, "rejected"); // placed, but out of play
    await a.place("USD", 999_00, "submitted", old); // too old to count, still waiting
    const staff = await makeSupplierStaff("Viewer");
    const page = await readAsSupplier(staff.principal, "accounts:read", (tx, supplier) => listAccounts(tx, supplier, accountListQuerySchema.parse({ limit: 100 })));
    const mine = page.data.find((r) => r.id === a.org.id)!;
    expect(mine.last12Months.orderCount).toBe(2);
    expect(mine.last12Months.valueMinor).toBe(100_00 + 110_00);
    expect(mine.waitingForApproval).toBe(2);
    expect(mine.last12Months.months.map((m) => m.month)).toEqual(last12Months());
    expect(mine.last12Months.months.at(-1)).toMatchObject({ orderCount: 2, valueMinor: 210_00 });
    expect(mine.tier).toBe("Gold");
  });

  it("the rollup follows an order's status changes (the trigger), so approvals move it out of waiting", async () => {
    const a = await accountWithOrders("Moving Co");
    const order = await a.place("USD", 10_00, "submitted");
    const rows = () => asOperator((tx) => tx.select().from(orderMonthlyTotals).where(eq(orderMonthlyTotals.orgId, a.org.id)));
    expect((await rows()).map((r) => [r.status, r.orderCount, r.totalMinor])).toEqual([["submitted", 1, 10_00]]);
    await asOperator((tx) => tx.update(orders).set({ status: "approved", totalMinor: 12_00 }).where(eq(orders.id, order.id)));
    expect((await rows()).map((r) => [r.status, r.orderCount, r.totalMinor])).toEqual([["approved", 1, 12_00]]);
    await asOperator((tx) => tx.update(orders).set({ updatedAt: sql`now()` }).where(eq(orders.id, order.id)));
    expect(await rows()).toHaveLength(1);
    await asOperator((tx) => tx.delete(orders).where(eq(orders.id, order.id)));
    expect(await rows()).toEqual([]);
  });

  it("keyset-pages the accounts by name", async () => {
    for (const n of ["Page A", "Page B", "Page C"]) await openAccount((await makeOrg(n)).id);
    const staff = await makeSupplierStaff("Viewer");
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await readAsSupplier(staff.principal, "accounts:read", (tx, s) => listAccounts(tx, s, accountListQuerySchema.parse({ limit: 2, cursor })));
      seen.push(...page.data.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const all = await readAsSupplier(staff.principal, "accounts:read", (tx, s) => listAccounts(tx, s, accountListQuerySchema.parse({ limit: 100 })));
    expect(seen).toEqual(all.data.map((r) => r.id));
  });
});

describe("the order list across accounts", () => {
  it("is filterable by account and status, keyset-paginated both ways, and refuses a forged cursor", async () => {
    const a = await accountWithOrders("List A");
    const b = await accountWithOrders("List B");
    const base = Date.now() - 3600_000;
    for (let i = 0; i < 5; i++) await a.place("USD", 100 + i, i % 2 ? "approved" : "submitted", new Date(base + i * 1000));
    for (let i = 0; i < 3; i++) await b.place("USD", 200 + i, "submitted", new Date(base + i * 1000 + 500));
    const staff = await makeSupplierStaff("Viewer");
    const list = (q: Record<string, unknown>) => readAsSupplier(staff.principal, "orders:read", (tx, s) => listSupplierOrders(tx, s, supplierOrderListQuerySchema.parse(q)));

    const onlyA = await list({ account: a.org.id, limit: 200 });
    expect(onlyA.data).toHaveLength(5);
    expect(new Set(onlyA.data.map((o) => o.accountName))).toEqual(new Set(["List A"]));
    expect((await list({ account: a.org.id, status: "approved" })).data).toHaveLength(2);

    const first = await list({ account: a.org.id, limit: 2 });
    const second = await list({ account: a.org.id, limit: 2, cursor: first.nextCursor! });
    expect(second.data.map((o) => o.id)).toEqual(onlyA.data.slice(2, 4).map((o) => o.id));
    const back = await list({ account: a.org.id, limit: 2, before: second.prevCursor! });
    expect(back.data.map((o) => o.id)).toEqual(first.data.map((o) => o.id));

    const error = await list({ cursor: "bm9wZQ" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as AppError).message).toContain("cursor");
  });
});
