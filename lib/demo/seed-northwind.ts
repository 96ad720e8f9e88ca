import type { Db } from "@/db/client";
import { createSupplierCommand } from "@/lib/accounts/create-supplier";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { setAccountPriceCommand } from "@/lib/catalog/account-prices";
import { createProductCommand } from "@/lib/catalog/create-product";
import { runCommand } from "@/lib/core/command";
import type { OrgRef, RequestMeta } from "@/lib/core/context";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { buildNorthwindCatalog, demoListPrices } from "./northwind-catalog";

/** The supplier's demo staff. Operations holds catalog:manage and accounts:manage (admin-class), so MFA is set up at first sign-in. */
export const supplierPersonas = [{ email: "ops@northwind.test", name: "Olive Ops", role: "Operations", persona: "supplier operations (Northwind Supply): catalog, accounts, orders across accounts" }] as const;

/**
 * "Northwind Supply", the installation's supplier: its catalog of about 200 products with list
 * prices in USD, CAD, EUR and GBP, and its operations persona. Through the same commands as
 * everything else, so the audit trail shows how the demo came to be.
 */
export async function seedNorthwind(db: Db, meta: RequestMeta, password: string) {
  const org = await runCommand(createSupplierCommand, systemPrincipal("seed"), meta, { name: "Northwind Supply", slug: "northwind" }, db);
  const supplier: OrgRef = { id: org.id, slug: org.slug, name: org.name };
  const operator = systemPrincipal("seed", supplier);
  for (const p of supplierPersonas) await runCommand(createMemberCommand, operator, meta, { email: p.email, name: p.name, password, roleName: p.role, branchId: null }, db);
  const products = new Map<string, string>();
  for (const p of buildNorthwindCatalog()) {
    const created = await runCommand(createProductCommand, operator, meta, { sku: p.sku, name: p.name, category: p.category, unit: p.unit, active: p.active, prices: demoListPrices(p.usd) }, db);
    products.set(p.sku, created.id);
  }
  return { supplier, products };
}

/**
 * Acme as Northwind's account: USD with CAD, EUR and GBP at fixed demo rates, Gold tier, a
 * USD 250,000 credit line, and two prices agreed for Acme only.
 */
export async function openDemoAccount(db: Db, meta: RequestMeta, supplier: OrgRef, products: Map<string, string>, accountOrgId: string) {
  const operator = systemPrincipal("seed", supplier);
  await runCommand(
    openAccountCommand,
    operator,
    meta,
    {
      orgId: accountOrgId,
      tier: "Gold",
      baseCurrency: "USD",
      creditLimitMinor: 250_000_00,
      currencies: [
        { currency: "CAD", rateToBase: "0.73" },
        { currency: "EUR", rateToBase: "1.08" },
        { currency: "GBP", rateToBase: "1.27" },
      ],
    },
    db,
  );
  for (const [sku, currency, unitPriceMinor] of [["HX-2210", "USD", 1750], ["GLV-NIT-L", "USD", 5900]] as const) {
    await runCommand(setAccountPriceCommand, operator, meta, { productId: products.get(sku)!, accountId: accountOrgId, currency, unitPriceMinor }, db);
  }
}
