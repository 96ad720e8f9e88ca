/**
 * The data both intake processing benches run on (process.ts, burst.ts): a supplier with the nine
 * SKUs their payloads name, and `accountCount` customer accounts, each with a branch, a default
 * ship-to address and a buyer, made through the real commands. Import it after DATABASE_URL is set.
 */
import type { Db } from "@/db/client";
import { createSupplierCommand } from "@/lib/accounts/create-supplier";
import { openAccountCommand } from "@/lib/accounts/open-account";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { createProductCommand } from "@/lib/catalog/create-product";
import { runCommand } from "@/lib/core/command";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { createOrgCommand } from "@/lib/orgs/create-org";

export interface IntakeBenchWorld {
  supplier: { id: string; slug: string; name: string };
  accounts: Array<{ id: string; slug: string; branchId: string }>;
}

export async function createIntakeBenchWorld(db: Db, accountCount: number, log: (line: string) => void): Promise<IntakeBenchWorld> {
  const meta = systemMeta("bench");
  const op = systemPrincipal("bench");
  const created = await runCommand(createSupplierCommand, op, meta, { name: "Bench Supply", slug: "bench-supply" }, db);
  const supplier = { id: created.id, slug: created.slug, name: created.name };
  const supplierOperator = systemPrincipal("bench", supplier);
  // The X12 sample's six SKUs, and the JSON orders' three.
  for (const sku of ["AB3542", "RD5322", "XY5266", "VX2332", "RV0524", "DX1875", "J-1", "J-2", "J-3"]) {
    await runCommand(createProductCommand, supplierOperator, meta, { sku, name: `Part ${sku}`, prices: { USD: 1000 } }, db);
  }
  log(`setting up ${accountCount} accounts...`);
  const accounts: IntakeBenchWorld["accounts"] = [];
  for (let i = 0; i < accountCount; i++) {
    const org = await runCommand(createOrgCommand, op, meta, { name: `Bench account ${i}`, slug: `bench-${i}` }, db);
    const operator = systemPrincipal("bench", org);
    await runCommand(openAccountCommand, supplierOperator, meta, { orgId: org.id, baseCurrency: "USD", currencies: [], tier: "Gold" }, db);
    const branch = await runCommand(createBranchCommand, operator, meta, { name: "HQ" }, db);
    await runCommand(addBranchAddressCommand, operator, meta, { branchId: branch.id, label: "Dock", lines: ["31875 Solon Rd"], city: "Solon", postalCode: "44139", country: "US", isDefault: true }, db);
    await runCommand(createMemberCommand, operator, meta, { email: `buyer@bench-${i}.test`, password: "bench password 2026", roleName: "Buyer", branchId: null }, db);
    accounts.push({ id: org.id, slug: org.slug, branchId: branch.id });
  }
  return { supplier, accounts };
}

/** A canonical JSON order of three lines, numbered `n`, from account `account`'s sender id. */
export function jsonOrder(n: number, account: number): string {
  return JSON.stringify({ documentNumber: `J${n}`, kind: "original", senders: [{ scheme: "buyer", value: `bench-${account}` }], currency: "USD", lines: [1, 2, 3].map((l) => ({ lineNumber: String(l), vendorPartNumber: `J-${l}`, quantity: String(1 + ((n + l) % 9)), unitPrice: "10.00" })) });
}
