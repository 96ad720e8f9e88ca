import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountPrices, organizations, roles } from "@/db/schema";
import { applyTenantScope, withTenantScope } from "@/db/tenant-scope";
import { loadAccountStanding, loadAccountTerms } from "@/lib/accounts/account-terms";
import { createSupplierCommand } from "@/lib/accounts/create-supplier";
import { listSupplierOrders } from "@/lib/accounts/list-supplier-orders";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { supplierOrderListQuerySchema } from "@/lib/accounts/schemas";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { runCommand } from "@/lib/core/command";
import { ConflictError, ForbiddenError } from "@/lib/core/errors";
import { readAs, tenantScopeOf } from "@/lib/core/read-as";
import { systemPrincipal } from "@/lib/core/system-principal";
import { updateRoleCommand } from "@/lib/roles/update-role";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrder, makeOrg, meta, unique } from "../support/factories";
import { makeProduct, makeSupplier, makeSupplierStaff, openAccount } from "../support/supplier-factories";

/** A customer account with a branch, a buyer, an order and its own price on a product. */
async function customer(name: string, currency = "USD") {
  const org = await makeOrg(name);
  const branch = await makeBranch(org.operator, "Depot");
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: branch.id });
  const order = await makeOrder(org.operator, { branchId: branch.id, buyerId: buyer.userId });
  await openAccount(org.id, { baseCurrency: currency, currencies: [], tier: `${name} tier` });
  return { org, branch, buyer, order };
}

const count = (tx: Parameters<Parameters<typeof readAs>[1]>[0], table: string, where = "true") => tx.execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where ${where}`)).then((r) => r[0]!.n);

describe("the supplier: exactly one per installation", () => {
  it("a second supplier is refused by the command, and by the partial unique index when the command is bypassed", async () => {
    const supplier = await makeSupplier();
    const again = runCommand(createSupplierCommand, systemPrincipal("test"), meta, { name: "Other", slug: unique("other").toLowerCase() });
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toThrow(supplier.name);
    const raw = asOperator((tx) => tx.insert(organizations).values({ name: "Sneaky", slug: unique("sneaky").toLowerCase(), kind: "supplier" }));
    await expect(raw).rejects.toMatchObject({ cause: { code: "23505" } });
  });

  it("the supplier starts with the supplier's roles, not a customer's", async () => {
    const supplier = await makeSupplier();
    const names = await asOperator((tx) => tx.select({ name: roles.name }).from(roles).where(eq(roles.orgId, supplier.id)));
    expect(names.map((r) => r.name).sort()).toEqual(["Account manager", "Admin", "Catalog manager", "Operations", "Viewer"]);
  });
});

describe("supplier scope: row-level security across accounts", () => {
  it("Nothing crosses tenants: the catalog's search function keeps the visibility rule: an org without an account finds nothing, an account finds its supplier's products", async () => {
    const a = await customer("Searcher A");
    const stranger = await makeOrg("No account yet");
    const buyer = await makeMember(stranger.operator, { roleName: "Buyer" });
    const tag = unique("needle").toLowerCase();
    await makeProduct({ name: `Product ${tag}` });
    const find = (principal: typeof buyer.principal, supplierScope = false) =>
      withTenantScope({ ...tenantScopeOf(principal), supplierScope }, (tx) => tx.execute<{ id: string }>(sql`select countersign_search_products(${`%${tag}%`}, 10) as id`));
    expect(await find(a.buyer.principal)).toHaveLength(1);
    expect(await find(buyer.principal)).toHaveLength(0);
    expect(await find(buyer.principal, true)).toHaveLength(0);
  });

  it("Nothing crosses tenants: a customer's transaction sees none of another customer's rows, nor the supplier's internal ones, even with the supplier flag forced on", async () => {
    await makeSupplier();
    const a = await customer("Acme A", "USD");
    const b = await customer("Beta B", "EUR");
    const product = await makeProduct({ prices: { USD: 1000, EUR: 900, GBP: 800 } });
    const s = await makeSupplier();
    await runCommand(setAccountPriceCommand, s.operator, meta, { productId: product.id, accountId: b.org.id, currency: "EUR", unitPriceMinor: 700 });
    await runCommand(setAccountPriceCommand, s.operator, meta, { productId: product.id, accountId: a.org.id, currency: "USD", unitPriceMinor: 950 });

    for (const forced of [false, true]) {
      const scope = { ...tenantScopeOf(a.buyer.principal), supplierScope: forced };
      await withTenantScope(scope, async (tx) => {
        expect(await count(tx, "orders"), "orders").toBe(1);
        expect(await count(tx, "orders", `org_id = '${b.org.id}'`), "B's orders").toBe(0);
        expect(await count(tx, "branches", `org_id = '${b.org.id}'`), "B's branches").toBe(0);
        expect(await count(tx, "order_monthly_totals", `org_id = '${b.org.id}'`), "B's rollup").toBe(0);
        // Tier and credit limit are the supplier's own notes: not even A's own row is readable.
        expect(await count(tx, "accounts"), "accounts").toBe(0);
        expect(await count(tx, "account_currencies", `org_id = '${b.org.id}'`), "B's currencies").toBe(0);
        expect(await count(tx, "account_prices", `account_id <> '${a.org.id}'`), "other accounts' prices").toBe(0);
        expect(await count(tx, "account_prices"), "own price").toBe(1);
        // List prices only in A's own currencies (USD), never GBP or EUR.
        expect((await tx.execute<{ currency: string }>(sql`select currency from product_prices where product_id = ${product.id}`)).map((r) => r.currency)).toEqual(["USD"]);
        expect(await count(tx, "organizations", `id = '${b.org.id}'`), "B's org").toBe(0);
        expect(await count(tx, "catalog_imports"), "imports").toBe(0);
      });
    }
    // The query functions say the same.
    await readAs(a.buyer.principal, async (tx) => {
      expect(await loadAccountTerms(tx, b.org.id)).toBeNull();
      expect((await loadAccountTerms(tx, a.org.id))?.baseCurrency).toBe("USD");
      expect(await loadAccountStanding(tx, a.org.id)).toBeNull();
      expect(await tx.select().from(accountPrices).where(eq(accountPrices.accountId, b.org.id))).toEqual([]);
    });
  });

  it("the supplier reads account orders only through the supplier-scope reader, never in a plain transaction", async () => {
    const a = await customer("Acme C");
    const b = await customer("Beta D");
    const staff = await makeSupplierStaff("Viewer");
    const plain = await readAs(staff.principal, (tx) => count(tx, "orders", `org_id in ('${a.org.id}', '${b.org.id}')`));
    expect(plain).toBe(0);
    const flagWithoutChecks = await withTenantScope({ orgId: a.org.id, userId: staff.userId, bypass: false, supplierScope: true }, (tx) => count(tx, "orders", `org_id = '${b.org.id}'`));
    expect(flagWithoutChecks, "the flag under another org's id admits nothing").toBe(0);
    const page = await readAsSupplier(staff.principal, "orders:read", (tx, supplier) => listSupplierOrders(tx, supplier, supplierOrderListQuerySchema.parse({ limit: 200 })));
    const ids = page.data.map((o) => o.id);
    expect(ids).toContain(a.order.id);
    expect(ids).toContain(b.order.id);
    const standing = await readAsSupplier(staff.principal, "accounts:read", (tx) => loadAccountStanding(tx, a.org.id));
    expect(standing?.tier).toBe("Acme C tier");
  });

  it("the supplier scope ends with its transaction: the next one on the same pool sees no account rows", async () => {
    const a = await customer("Acme E");
    const staff = await makeSupplierStaff("Viewer");
    await readAsSupplier(staff.principal, "orders:read", async () => null);
    const after = await readAs(staff.principal, (tx) => count(tx, "orders", `org_id = '${a.org.id}'`));
    expect(after).toBe(0);
    // And inside one transaction, putting the scope back down takes it away.
    await withTenantScope({ ...tenantScopeOf(staff.principal), supplierScope: true }, async (tx) => {
      expect(await count(tx, "orders", `org_id = '${a.org.id}'`)).toBe(1);
      await applyTenantScope(tx, tenantScopeOf(staff.principal));
      expect(await count(tx, "orders", `org_id = '${a.org.id}'`)).toBe(0);
    });
  });

  it("too little permission: supplier staff without the permission, and a customer, are refused the supplier-scope reader", async () => {
    const a = await customer("Acme F");
    const viewer = await makeSupplierStaff("Viewer");
    await expect(readAsSupplier(viewer.principal, "accounts:manage", async () => null)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(readAsSupplier(a.buyer.principal, "orders:read", async () => null)).rejects.toThrow("Only the supplier's staff");
  });

  it("a supplier-only permission granted in a customer org does nothing: its Admin given accounts:manage still cannot open an account or read across accounts", async () => {
    const a = await customer("Acme G");
    const other = await makeOrg("Not yet an account");
    const [adminRole] = await asOperator((tx) => tx.select().from(roles).where(and(eq(roles.orgId, a.org.id), eq(roles.name, "Admin"))));
    await runCommand(updateRoleCommand, a.org.operator, meta, { roleId: adminRole!.id, name: "Admin", permissions: [...adminRole!.permissions, "accounts:manage", "accounts:read", "catalog:manage"] });
    const admin = await makeMember(a.org.operator, { roleName: "Admin" });
    expect(admin.principal.access.kind === "grants" && admin.principal.access.grants[0]!.permissions.has("accounts:manage")).toBe(true);
    await expect(runCommand(openAccountCommand, admin.principal, meta, { orgId: other.id, baseCurrency: "USD" })).rejects.toThrow("Only the supplier's staff");
    await expect(readAsSupplier(admin.principal, "accounts:read", async () => null)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await readAs(admin.principal, (tx) => count(tx, "accounts"))).toBe(0);
  });
});
