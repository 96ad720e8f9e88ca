import { describe, expect, it } from "vitest";
import { removeAccountPriceCommand, setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { resolveCatalogViewer } from "@/lib/catalog/catalog-viewer";
import { createProductCommand } from "@/lib/catalog/create-product";
import { deleteProductCommand } from "@/lib/catalog/delete-product";
import { getCatalogProduct } from "@/lib/catalog/get-product";
import { listCatalog, listCategories } from "@/lib/catalog/list-products";
import { priceOrderLines } from "@/lib/catalog/price-order-lines";
import { productListQuerySchema } from "@/lib/catalog/schemas";
import { updateProductCommand } from "@/lib/catalog/update-product";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { runCommand } from "@/lib/core/command";
import { createRoleCommand } from "@/lib/roles/create-role";
import type { Principal } from "@/lib/core/context";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";
import { makeProduct, makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

async function account(name: string, terms: Parameters<typeof openAccount>[1] = {}) {
  const org = await makeOrg(name);
  const branch = await makeBranch(org.operator, "Main");
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: branch.id });
  await openAccount(org.id, terms);
  return { org, branch, buyer };
}

const browse = (principal: Principal, q: Record<string, unknown> = {}) =>
  readAs(principal, async (tx) => listCatalog(tx, await resolveCatalogViewer(tx, principal), productListQuerySchema.parse({ limit: 200, ...q })));

async function fieldErrorsOf(run: Promise<unknown>) {
  const error = await run.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

describe("catalog: products and prices", () => {
  it("a catalog manager creates, edits and deletes products; SKUs are unique whatever their case", async () => {
    const manager = await makeSupplierStaff("Catalog manager");
    const sku = unique("case").toUpperCase();
    const created = await runCommand(createProductCommand, manager.principal, meta, { sku, name: "Hex bolt", category: "Fasteners", prices: { USD: 1899 } });
    await expect(runCommand(createProductCommand, manager.principal, meta, { sku: sku.toLowerCase(), name: "Clash" })).rejects.toBeInstanceOf(ConflictError);
    await runCommand(updateProductCommand, manager.principal, meta, { productId: created.id, name: "Hex bolt M10", prices: { USD: 1999, EUR: 1800 }, active: false });
    const detail = await readAs(manager.principal, async (tx) => getCatalogProduct(tx, await resolveCatalogViewer(tx, manager.principal), created.id));
    expect(detail).toMatchObject({ name: "Hex bolt M10", active: false, listPrices: { USD: 1999, EUR: 1800 } });
    await runCommand(deleteProductCommand, manager.principal, meta, { productId: created.id });
    await expect(runCommand(deleteProductCommand, manager.principal, meta, { productId: created.id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("bad input names the field: a SKU with spaces, a price in a currency that does not exist, NUL in a name, a negative price", async () => {
    const s = await makeSupplier();
    const create = (input: Record<string, unknown>) => fieldErrorsOf(runCommand(createProductCommand, s.operator, meta, { sku: unique("B"), name: "N", ...input }));
    expect(Object.keys(await create({ sku: "HX 22" }))).toEqual(["sku"]);
    expect(await create({ prices: { XYZ: 100 } })).toEqual({ "prices.XYZ": ['"XYZ" is not an ISO 4217 currency code such as USD'] });
    expect(await create({ name: "Bolt\u0000" })).toEqual({ name: ["must not contain NUL characters (\\u0000)"] });
    expect(await create({ prices: { USD: -1 } })).toEqual({ "prices.USD": ["must not be negative"] });
    // A prototype key, as JSON.parse makes it: refused by name, and no object's prototype changes.
    expect(Object.keys(await create({ prices: JSON.parse('{"__proto__": 5}') }))).toEqual(["prices.__proto__"]);
  });

  it("too little permission, and the supplier-only rule: a supplier Viewer and a customer's Admin cannot touch the catalog", async () => {
    const viewer = await makeSupplierStaff("Viewer");
    await expect(runCommand(createProductCommand, viewer.principal, meta, { sku: unique("V"), name: "N" })).rejects.toBeInstanceOf(ForbiddenError);
    const a = await account("Customer Admin Co");
    const admin = await makeMember(a.org.operator, { roleName: "Admin" });
    await expect(runCommand(createProductCommand, admin.principal, meta, { sku: unique("V"), name: "N" })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("catalog: what customers see", () => {
  it("a buyer sees active products at their own price: the account's price, else the list price, in a currency the account uses", async () => {
    const a = await account("Priced A", { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }] });
    const b = await account("Priced B", { baseCurrency: "USD", currencies: [] });
    const s = await makeSupplier();
    const tag = unique("tag");
    const special = await makeProduct({ name: `${tag} special`, prices: { USD: 1000, EUR: 900 } });
    await makeProduct({ name: `${tag} plain`, prices: { USD: 500 } });
    const hidden = await makeProduct({ name: `${tag} retired`, active: false, prices: { USD: 1 } });
    await runCommand(setAccountPriceCommand, s.operator, meta, { productId: special.id, accountId: b.org.id, currency: "USD", unitPriceMinor: 700 });

    const forA = await browse(a.buyer.principal, { q: tag });
    expect(forA.currency).toBe("USD");
    expect(forA.data.map((p) => [p.name, p.price])).toEqual([
      [`${tag} plain`, { currency: "USD", unitPriceMinor: 500, source: "list" }],
      [`${tag} special`, { currency: "USD", unitPriceMinor: 1000, source: "list" }],
    ]);
    expect(JSON.stringify(forA)).not.toContain("700");
    expect(forA.data.some((p) => p.id === hidden.id)).toBe(false);
    expect(forA.data[0]!.listPrices).toBeUndefined();
    const inEuro = await browse(a.buyer.principal, { q: tag, currency: "EUR" });
    expect(inEuro.data.map((p) => p.price)).toEqual([null, { currency: "EUR", unitPriceMinor: 900, source: "list" }]);

    const forB = await browse(b.buyer.principal, { q: tag });
    expect(forB.data.find((p) => p.id === special.id)?.price).toEqual({ currency: "USD", unitPriceMinor: 700, source: "account" });
    expect(await fieldErrorsOf(browse(b.buyer.principal, { currency: "EUR" }))).toEqual({ currency: ["EUR is not a currency your account uses (USD)"] });
    const detail = await readAs(a.buyer.principal, async (tx) => getCatalogProduct(tx, await resolveCatalogViewer(tx, a.buyer.principal), hidden.id));
    expect(detail).toBeNull();

    // Once the supplier removes B's price, B pays the list price again.
    await runCommand(removeAccountPriceCommand, s.operator, meta, { productId: special.id, accountId: b.org.id, currency: "USD" });
    expect((await browse(b.buyer.principal, { q: tag })).data.find((p) => p.id === special.id)?.price?.source).toBe("list");
  });

  it("a member with neither orders:create nor orders:read is refused; an org without an account has no catalog", async () => {
    const a = await account("Roles Co");
    await runCommand(createRoleCommand, a.org.operator, meta, { name: "Settings only", permissions: ["org:manage"] });
    const settingsOnly = await makeMember(a.org.operator, { roleName: "Settings only" });
    await expect(browse(settingsOnly.principal)).rejects.toThrow("Browsing the catalog needs orders:create or orders:read.");
    const viewer = await makeMember(a.org.operator, { roleName: "Viewer" });
    await expect(browse(viewer.principal)).resolves.toMatchObject({ currency: "USD" });
    const stranger = await makeOrg("No account Co");
    const buyer = await makeMember(stranger.operator, { roleName: "Buyer" });
    await expect(browse(buyer.principal)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("supplier staff see every product, active or not, with every list price, filtered by status and category", async () => {
    const staff = await makeSupplierStaff("Viewer");
    const tag = unique("sup");
    await makeProduct({ name: `${tag} a`, category: "Cat-X", prices: { USD: 1, GBP: 2 } });
    await makeProduct({ name: `${tag} b`, active: false, category: "Cat-Y" });
    const all = await browse(staff.principal, { q: tag });
    expect(all.data.map((p) => [p.name, p.active, p.listPrices])).toEqual([
      [`${tag} a`, true, { GBP: 2, USD: 1 }],
      [`${tag} b`, false, { EUR: 900, USD: 1000 }],
    ]);
    expect((await browse(staff.principal, { q: tag, status: "inactive" })).data.map((p) => p.name)).toEqual([`${tag} b`]);
    expect((await browse(staff.principal, { q: tag, category: "Cat-X" })).data.map((p) => p.name)).toEqual([`${tag} a`]);
    const categories = await readAs(staff.principal, async (tx) => listCategories(tx, await resolveCatalogViewer(tx, staff.principal)));
    expect(categories).toEqual(expect.arrayContaining(["Cat-X", "Cat-Y"]));
  });
});

describe("catalog: search by SKU and name, keyset pages", () => {
  it("finds a substring of the SKU or the name from three characters, and a prefix with one or two; pages never repeat or skip", async () => {
    const staff = await makeSupplierStaff("Viewer");
    const tag = unique("zq").replace(/-/g, "");
    await makeProduct({ sku: `${tag}-BOLT-1`, name: "Carriage bolt" });
    await makeProduct({ sku: `${tag}-NUT-1`, name: "Hex nut" });
    await makeProduct({ sku: `${tag}-WSH-1`, name: `Washer ${tag}` });
    expect((await browse(staff.principal, { q: `${tag}-nut` })).data.map((p) => p.name)).toEqual(["Hex nut"]);
    expect((await browse(staff.principal, { q: `${tag} carr` })).data).toEqual([]);
    expect((await browse(staff.principal, { q: "carriage" })).data.map((p) => p.sku)).toContain(`${tag}-BOLT-1`);
    expect((await browse(staff.principal, { q: tag.slice(0, 2) })).data.length).toBeGreaterThanOrEqual(3);
    expect((await browse(staff.principal, { q: "%_" })).data).toEqual([]); // LIKE wildcards are literal
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await browse(staff.principal, { q: tag, limit: 1, cursor });
      seen.push(...page.data.map((p) => p.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(3);
    expect(await fieldErrorsOf(browse(staff.principal, { cursor: "not-a-cursor" }))).toEqual({ cursor: ["is not a cursor this server issued"] });
  });
});

describe("priceOrderLines: server-side prices for the ordering engineer", () => {
  it("prices lines at the account's price, else the list price, whatever case the SKU is typed in", async () => {
    const a = await account("Ordering A", { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }] });
    const s = await makeSupplier();
    const bolt = await makeProduct({ sku: unique("BOLT").toUpperCase(), name: "Bolt", unit: "box", category: "Fasteners", prices: { USD: 1899 } });
    const nut = await makeProduct({ sku: unique("NUT").toUpperCase(), name: "Nut", prices: { USD: 500, EUR: 450 } });
    await runCommand(setAccountPriceCommand, s.operator, meta, { productId: nut.id, accountId: a.org.id, currency: "USD", unitPriceMinor: 400 });
    const priced = await readAs(a.buyer.principal, (tx) => priceOrderLines(tx, { accountOrgId: a.org.id, currency: "USD", lines: [{ sku: bolt.sku.toLowerCase(), quantity: 3 }, { sku: nut.sku, quantity: 10 }] }));
    expect(priced.lines).toEqual([
      { lineNo: 1, productId: bolt.id, sku: bolt.sku, name: "Bolt", unit: "box", category: "Fasteners", quantity: 3, unitPriceMinor: 1899, totalMinor: 5697, priceSource: "list" },
      { lineNo: 2, productId: nut.id, sku: nut.sku, name: "Nut", unit: "each", category: null, quantity: 10, unitPriceMinor: 400, totalMinor: 4000, priceSource: "account" },
    ]);
    expect(priced.subtotalMinor).toBe(9697);
  });

  it("bad input: an unknown SKU, an inactive product, no price in that currency, a bad quantity, a currency the account does not use, each named", async () => {
    const a = await account("Ordering B", { baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }] });
    const usdOnly = await makeProduct({ prices: { USD: 100 } });
    const retired = await makeProduct({ active: false });
    const price = (input: { currency: string; lines: Array<{ sku: string; quantity: number }> }) => readAs(a.buyer.principal, (tx) => priceOrderLines(tx, { accountOrgId: a.org.id, ...input }));
    expect(await fieldErrorsOf(price({ currency: "EUR", lines: [{ sku: "NO-SUCH-SKU", quantity: 1 }, { sku: retired.sku, quantity: 1 }, { sku: usdOnly.sku, quantity: 1 }, { sku: usdOnly.sku, quantity: 0 }] }))).toEqual({
      "lines.0.sku": ['no product in the catalog has the SKU "NO-SUCH-SKU"'],
      "lines.1.sku": [`${retired.sku} (Widget) is inactive and cannot be ordered`],
      "lines.2.sku": [`${usdOnly.sku} has no price in EUR`],
      "lines.3.quantity": ["must be at least 1"],
    });
    expect(await fieldErrorsOf(price({ currency: "GBP", lines: [{ sku: usdOnly.sku, quantity: 1 }] }))).toEqual({ currency: ["GBP is not a currency this account uses (USD, EUR)"] });
    expect(await fieldErrorsOf(price({ currency: "USD", lines: [{ sku: usdOnly.sku, quantity: 2_000_000 }] }))).toEqual({ "lines.0.quantity": ["must be at most 1,000,000"] });
    expect(await fieldErrorsOf(price({ currency: "USD", lines: [] }))).toEqual({ lines: ["needs at least one line"] });
  });

  it("Nothing crosses tenants: pricing for another account's id from a buyer's transaction finds no terms", async () => {
    const a = await account("Ordering C");
    const b = await account("Ordering D");
    const p = await makeProduct();
    const error = await readAs(a.buyer.principal, (tx) => priceOrderLines(tx, { accountOrgId: b.org.id, currency: "USD", lines: [{ sku: p.sku, quantity: 1 }] })).catch((e: unknown) => e);
    expect((error as ValidationError).fieldErrors).toEqual({ currency: [expect.stringContaining("has no account with")] });
  });

  it("account prices need the supplier scope to read for the supplier: its staff see them on the product only through readAsSupplier", async () => {
    const a = await account("Scoped E");
    const s = await makeSupplier();
    const p = await makeProduct();
    await runCommand(setAccountPriceCommand, s.operator, meta, { productId: p.id, accountId: a.org.id, currency: "USD", unitPriceMinor: 1 });
    const staff = await makeSupplierStaff("Viewer");
    const plain = await readAs(staff.principal, async (tx) => getCatalogProduct(tx, await resolveCatalogViewer(tx, staff.principal), p.id));
    expect(plain?.accountPrices).toEqual([]);
    const scoped = await readAsSupplier(staff.principal, "accounts:read", async (tx) => getCatalogProduct(tx, await resolveCatalogViewer(tx, staff.principal), p.id));
    expect(scoped?.accountPrices).toEqual([{ accountId: a.org.id, accountName: "Scoped E", currency: "USD", unitPriceMinor: 1 }]);
    expect(await fieldErrorsOf(runCommand(setAccountPriceCommand, s.operator, meta, { productId: p.id, accountId: a.org.id, currency: "GBP", unitPriceMinor: 1 }))).toEqual({ currency: ["Scoped E does not use GBP (it uses USD, EUR)"] });
  });
});
