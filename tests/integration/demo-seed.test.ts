import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { listAccounts } from "@/lib/accounts/list-accounts";
import { accountListQuerySchema } from "@/lib/accounts/schemas";
import { readAsSupplier } from "@/lib/accounts/supplier-scope";
import { readCatalog } from "@/lib/catalog/read-catalog";
import { listCatalog } from "@/lib/catalog/list-products";
import { productListQuerySchema } from "@/lib/catalog/schemas";
import { systemMeta } from "@/lib/core/request-meta";
import { seedDemo, supplierPersonas } from "@/lib/demo/seed-demo";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { sql } from "drizzle-orm";
import { readAs } from "@/lib/core/read-as";
import { listInvoices } from "@/lib/invoices/list-invoices";
import { invoicesQuerySchema } from "@/lib/invoices/schemas";
import { asOperator } from "../support/as-operator";

describe("demo data: Northwind Supply and its account Acme", () => {
  it("seeds the supplier with about 200 products and its ops persona, and Acme as its account with its own prices", async () => {
    const { org, supplier } = await seedDemo(getDb(), { orderCount: 20 });
    expect(supplier.slug).toBe("northwind");
    const [{ n } = { n: 0 }] = await asOperator((tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from products where org_id = ${supplier.id}`));
    expect(n).toBeGreaterThanOrEqual(190);
    expect(n).toBeLessThanOrEqual(220);
    expect(supplierPersonas.map((p) => p.email)).toEqual(["ops@northwind.test"]);

    const users = await asOperator((tx) => tx.execute<{ id: string; email: string }>(sql`select id, email from users where email in ('ops@northwind.test', 'buyer@acme.test')`));
    const idOf = (email: string) => users.find((u) => u.email === email)!.id;
    const ops = (await loadMemberPrincipal(getDb(), { type: "user", userId: idOf("ops@northwind.test"), label: "ops@northwind.test" }, "northwind"))!;
    const page = await readAsSupplier(ops, "accounts:read", (tx, s) => listAccounts(tx, s, accountListQuerySchema.parse({})));
    expect(page.data.map((a) => [a.slug, a.tier, a.baseCurrency, a.currencies.map((c) => c.currency)])).toEqual([["acme", "Gold", "USD", ["USD", "CAD", "EUR", "GBP"]]]);
    expect(page.data[0]!.last12Months.orderCount + page.data[0]!.waitingForApproval).toBeGreaterThan(0);

    const buyer = (await loadMemberPrincipal(getDb(), { type: "user", userId: idOf("buyer@acme.test"), label: "buyer@acme.test" }, org.slug))!;
    const bolts = await readCatalog(buyer, systemMeta("test"), (tx, viewer) => listCatalog(tx, viewer, productListQuerySchema.parse({ q: "HX-2210" })));
    expect(bolts.data.map((p) => [p.sku, p.price])).toEqual([["HX-2210", { currency: "USD", unitPriceMinor: 1750, source: "account" }]]);

    // Northwind has invoiced a few placed orders, at the orders' own totals; Acme's admin reads them.
    const invoiced = await asOperator((tx) => tx.execute<{ n: number; mismatched: number }>(sql`select count(*)::int as n, count(*) filter (where i.total_minor <> o.total_minor or o.status not in ('approved', 'fulfilled'))::int as mismatched from invoices i join orders o on o.id = i.order_id where i.org_id = ${org.id}`));
    expect(invoiced[0]!.n).toBeGreaterThanOrEqual(1);
    expect(invoiced[0]!.mismatched).toBe(0);
    const [adminRow] = await asOperator((tx) => tx.execute<{ id: string }>(sql`select id from users where email = 'admin@acme.test'`));
    const admin = (await loadMemberPrincipal(getDb(), { type: "user", userId: adminRow!.id, label: "admin@acme.test" }, org.slug))!;
    expect((await readAs(admin, (tx) => listInvoices(tx, admin, invoicesQuerySchema.parse({})))).data.length).toBe(invoiced[0]!.n);
  }, 120_000);
});
