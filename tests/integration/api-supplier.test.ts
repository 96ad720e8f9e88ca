import { describe, expect, it } from "vitest";
import * as accountItem from "@/app/api/v1/accounts/[id]/route";
import * as accountList from "@/app/api/v1/accounts/route";
import * as addressItem from "@/app/api/v1/branches/[id]/addresses/[addressId]/route";
import * as addressList from "@/app/api/v1/branches/[id]/addresses/route";
import * as accountPrices from "@/app/api/v1/catalog/products/[id]/account-prices/route";
import * as productItem from "@/app/api/v1/catalog/products/[id]/route";
import * as productList from "@/app/api/v1/catalog/products/route";
import { accountPageSchema, accountSummarySchema } from "@/lib/accounts/schemas";
import { branchAddressSchema } from "@/lib/branch-addresses/schemas";
import { catalogPageSchema, productDetailSchema } from "@/lib/catalog/schemas";
import { runCommand } from "@/lib/core/command";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";
import { makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";
import { callRoute } from "./isolation-world";

type Handler = Parameters<typeof callRoute>[0];
const h = (fn: unknown) => fn as Handler;
async function call(handler: unknown, token: string, method: string, path: string, options: { params?: Record<string, string>; body?: unknown } = {}) {
  const response = await callRoute(h(handler), token, method, path, options);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { errors?: Record<string, string[]> } };
}

async function setting() {
  const supplier = await makeSupplier();
  const tokenFor = async (operator: typeof supplier.operator, email: string) => (await runCommand(createApiTokenCommand, operator, meta, { email })).token;
  const ops = await makeSupplierStaff("Operations");
  const org = await makeOrg("Api Customer");
  const branch = await makeBranch(org.operator, "Plant");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: branch.id });
  await openAccount(org.id, { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }] });
  return { supplier, org, branch, ops: await tokenFor(supplier.operator, ops.email), admin: await tokenFor(org.operator, admin.email), buyer: await tokenFor(org.operator, buyer.email) };
}

describe("REST: the catalog", () => {
  it("the supplier creates, edits, prices and removes a product; the customer sees it at its own price", async () => {
    const t = await setting();
    const sku = unique("API").toUpperCase();
    const created = await call(productList.POST, t.ops, "POST", "/api/v1/catalog/products", { body: { sku, name: "Api bolt", category: "Fasteners", prices: { USD: 1000, EUR: 950 } } });
    expect(created.status).toBe(201);
    const product = productDetailSchema.parse(created.body);
    expect(product).toMatchObject({ sku, listPrices: { USD: 1000, EUR: 950 }, accountPrices: [] });

    const patched = await call(productItem.PATCH, t.ops, "PATCH", "/api/v1/catalog/products/x", { params: { id: product.id }, body: { name: "Api bolt M8" } });
    expect(patched).toMatchObject({ status: 200, body: { name: "Api bolt M8" } });
    const unknownField = await call(productItem.PATCH, t.ops, "PATCH", "/api/v1/catalog/products/x", { params: { id: product.id }, body: { productId: crypto.randomUUID(), colour: "red" } });
    expect(unknownField).toMatchObject({ status: 422, body: { errors: { productId: ["is not a known field"], colour: ["is not a known field"] } } });

    const priced = await call(accountPrices.PUT, t.ops, "PUT", "/api/v1/catalog/products/x/account-prices", { params: { id: product.id }, body: { accountId: t.org.id, currency: "EUR", unitPriceMinor: 800 } });
    expect(priced.status).toBe(200);
    const page = await call(productList.GET, t.buyer, "GET", `/api/v1/catalog/products?q=${sku}&currency=EUR`);
    expect(page.status).toBe(200);
    expect(catalogPageSchema.parse(page.body).data.map((p) => p.price)).toEqual([{ currency: "EUR", unitPriceMinor: 800, source: "account" }]);
    const wrongCurrency = await call(productList.GET, t.buyer, "GET", `/api/v1/catalog/products?currency=JPY`);
    expect(wrongCurrency).toMatchObject({ status: 422, body: { errors: { currency: ["JPY is not a currency your account uses (USD, EUR)"] } } });
    const typo = await call(productList.GET, t.buyer, "GET", `/api/v1/catalog/products?serch=bolt`);
    expect(typo).toMatchObject({ status: 422, body: { errors: { serch: ["is not a known parameter"] } } });

    const detail = await call(productItem.GET, t.ops, "GET", "/api/v1/catalog/products/x", { params: { id: product.id } });
    expect(productDetailSchema.parse(detail.body).accountPrices).toEqual([{ accountId: t.org.id, accountName: "Api Customer", currency: "EUR", unitPriceMinor: 800 }]);
    const removed = await call(accountPrices.DELETE, t.ops, "DELETE", `/api/v1/catalog/products/x/account-prices?accountId=${t.org.id}&currency=EUR`, { params: { id: product.id } });
    expect(removed.status).toBe(200);
    expect((await call(productItem.DELETE, t.ops, "DELETE", "/api/v1/catalog/products/x", { params: { id: product.id } })).status).toBe(200);
    expect((await call(productItem.GET, t.buyer, "GET", "/api/v1/catalog/products/x", { params: { id: product.id } })).status).toBe(404);
    expect((await call(productItem.GET, t.buyer, "GET", "/api/v1/catalog/products/x", { params: { id: "not-a-uuid" } })).status).toBe(404);
  });

  it("a duplicate SKU is 409 naming sku; a bad price is 422 naming the currency", async () => {
    const t = await setting();
    const sku = unique("DUP").toUpperCase();
    expect((await call(productList.POST, t.ops, "POST", "/api/v1/catalog/products", { body: { sku, name: "One" } })).status).toBe(201);
    expect(await call(productList.POST, t.ops, "POST", "/api/v1/catalog/products", { body: { sku: sku.toLowerCase(), name: "Two" } })).toMatchObject({ status: 409, body: { errors: { sku: [expect.stringContaining("already has the SKU")] } } });
    expect(await call(productList.POST, t.ops, "POST", "/api/v1/catalog/products", { body: { sku: unique("P"), name: "P", prices: { USD: 12.5 } } })).toMatchObject({ status: 422, body: { errors: { "prices.USD": ["must be a whole number of cents (the currency's smallest unit)"] } } });
  });
});

describe("REST: accounts", () => {
  it("supplier staff list, read and change accounts; a customer gets 403", async () => {
    const t = await setting();
    const list = await call(accountList.GET, t.ops, "GET", "/api/v1/accounts?limit=100");
    expect(list.status).toBe(200);
    expect(accountPageSchema.parse(list.body).data.map((a) => a.id)).toContain(t.org.id);
    const patched = await call(accountItem.PATCH, t.ops, "PATCH", "/api/v1/accounts/x", { params: { id: t.org.id }, body: { tier: "Platinum", creditLimitMinor: 1_000_00 } });
    expect(patched).toMatchObject({ status: 200, body: { id: t.org.id } });
    const one = await call(accountItem.GET, t.ops, "GET", "/api/v1/accounts/x", { params: { id: t.org.id } });
    expect(accountSummarySchema.parse(one.body)).toMatchObject({ tier: "Platinum", creditLimitMinor: 1_000_00, baseCurrency: "USD" });
    const other = await makeOrg("Api Newcomer");
    expect(await call(accountList.POST, t.ops, "POST", "/api/v1/accounts", { body: { orgId: other.id, baseCurrency: "EUR" } })).toMatchObject({ status: 201, body: { id: other.id, name: "Api Newcomer" } });
    expect(await call(accountList.GET, t.admin, "GET", "/api/v1/accounts")).toMatchObject({ status: 403, body: { detail: "Only the supplier's staff can do that." } });
  });
});

describe("REST: branch addresses", () => {
  it("an admin adds, edits and removes addresses; a buyer at the branch reads them", async () => {
    const t = await setting();
    const added = await call(addressList.POST, t.admin, "POST", "/api/v1/branches/x/addresses", { params: { id: t.branch.id }, body: { label: "Dock", lines: ["1 Main St"], city: "Gary", region: "IN", postalCode: "46402", country: "US", isDefault: true } });
    expect(added.status).toBe(201);
    const address = branchAddressSchema.parse(added.body);
    const patched = await call(addressItem.PATCH, t.admin, "PATCH", "/api/v1/branches/x/addresses/y", { params: { id: t.branch.id, addressId: address.id }, body: { postalCode: "46403" } });
    expect(patched).toMatchObject({ status: 200, body: { postalCode: "46403", isDefault: true } });
    const list = await call(addressList.GET, t.buyer, "GET", "/api/v1/branches/x/addresses", { params: { id: t.branch.id } });
    expect(list).toMatchObject({ status: 200, body: { data: [{ id: address.id, label: "Dock" }] } });
    expect(await call(addressList.POST, t.admin, "POST", "/api/v1/branches/x/addresses", { params: { id: t.branch.id }, body: { label: "X", lines: ["1"], city: "C", country: "ZZ" } })).toMatchObject({ status: 422, body: { errors: { country: ["is not an ISO 3166 country code"] } } });
    expect((await call(addressItem.DELETE, t.admin, "DELETE", "/api/v1/branches/x/addresses/y", { params: { id: t.branch.id, addressId: address.id } })).status).toBe(200);
    expect(await call(addressList.GET, t.buyer, "GET", "/api/v1/branches/x/addresses", { params: { id: t.branch.id } })).toMatchObject({ status: 200, body: { data: [] } });
  });
});
