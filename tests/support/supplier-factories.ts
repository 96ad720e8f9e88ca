import { getDb } from "@/db/client";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { createSupplierCommand } from "@/lib/accounts/create-supplier";
import type { OpenAccountInput } from "@/lib/accounts/schemas";
import { createProductCommand } from "@/lib/catalog/create-product";
import type { CreateProductInput } from "@/lib/catalog/schemas";
import { runCommand } from "@/lib/core/command";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { meta, TEST_PASSWORD, unique } from "./factories";

/**
 * The supplier and its accounts, made through the real commands. There is one supplier per
 * installation, so one per test file's database: `makeSupplier` creates it the first time and
 * returns the same one after.
 */
let supplier: Awaited<ReturnType<typeof createSupplier>> | undefined;

async function createSupplier() {
  const org = await runCommand(createSupplierCommand, systemPrincipal("test"), meta, { name: "Northwind Test Supply", slug: unique("supplier").toLowerCase() });
  return { ...org, operator: systemPrincipal("test", { id: org.id, slug: org.slug, name: org.name }) };
}

export async function makeSupplier() {
  supplier ??= await createSupplier();
  return supplier;
}

/** A member of the supplier's org with one of its roles (Viewer, Account manager, Catalog manager, Operations, Admin). */
export async function makeSupplierStaff(roleName: string) {
  const s = await makeSupplier();
  const email = `${unique("staff")}@supplier.test`;
  const created = await runCommand(createMemberCommand, s.operator, meta, { email, password: TEST_PASSWORD, roleName, branchId: null });
  const principal = await loadMemberPrincipal(getDb(), { type: "user", userId: created.userId, label: email }, s.slug);
  if (!principal) throw new Error("staff principal missing");
  return { ...created, email, principal };
}

/** Opens an account for `orgId` as the operator acting for the supplier. */
export async function openAccount(orgId: string, terms: Partial<OpenAccountInput> = {}) {
  const s = await makeSupplier();
  return runCommand(openAccountCommand, s.operator, meta, { orgId, baseCurrency: "USD", currencies: [{ currency: "EUR", rateToBase: "1.08" }], tier: "Gold", creditLimitMinor: 5_000_000, ...terms });
}

export async function makeProduct(input: Partial<CreateProductInput> = {}) {
  const s = await makeSupplier();
  return runCommand(createProductCommand, s.operator, meta, { sku: unique("SKU").toUpperCase(), name: "Widget", prices: { USD: 1000, EUR: 900 }, ...input });
}
