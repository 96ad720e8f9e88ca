import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { withTenantScope } from "@/db/tenant-scope";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { runCommand } from "@/lib/core/command";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { createOrderCommand } from "@/lib/orders/create-order";
import { createOrgCommand } from "@/lib/orgs/create-org";
import { addDomainCommand } from "@/lib/sso/add-domain";
import type { OrderStatus } from "@/lib/orders/schemas";
import { openDemoAccount, seedNorthwind, supplierPersonas } from "./seed-northwind";
import { seedDemoInvoices } from "./seed-invoices";
import { seedDemoApprovals } from "./seed-approvals";

export { supplierPersonas };

export const DEMO_PASSWORD = "acme-demo-2026";

export const demoPersonas = [
  { email: "admin@acme.test", name: "Ada Admin", role: "Admin", branch: null, persona: "company admin" },
  { email: "manager@acme.test", name: "Manny Manager", role: "Manager", branch: "North America", persona: "regional manager (North America)" },
  { email: "buyer@acme.test", name: "Bea Buyer", role: "Buyer", branch: "Chicago", persona: "buyer (Chicago)" },
  { email: "auditor@acme.test", name: "Audrey Auditor", role: "Auditor", branch: null, persona: "auditor" },
] as const;

const tree = { "North America": ["Chicago", "Toronto"], EMEA: ["Berlin", "Leeds"] } as const;
const leafCurrency: Record<string, string> = { Chicago: "USD", Toronto: "CAD", Berlin: "EUR", Leeds: "GBP" };
const catalog = [
  ["HX-2210", "Hex bolt M10 x 50, zinc, box of 100", 1899],
  ["BRG-6204", "Deep groove ball bearing 6204-2RS", 745],
  ["GLV-NIT-L", "Nitrile gloves, large, case of 1000", 6450],
  ["FLT-HEPA-24", "HEPA filter 24 x 24 x 12", 21900],
  ["LBL-4X6", "Thermal shipping labels 4x6, roll of 500", 1425],
  ["PLT-48X40", "Wood pallet 48 x 40, heat treated", 1850],
  ["DRL-18V", "Cordless drill 18V with two batteries", 18900],
  ["TAPE-PKG", "Packaging tape 48 mm, case of 36", 5220],
] as const;
const statuses: OrderStatus[] = ["submitted", "approved", "approved", "fulfilled", "fulfilled", "fulfilled", "draft", "rejected", "cancelled"];

/** True when the database holds no organization yet (the only time demo data is loaded). */
export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  // Across every org, as the operator: row-level security would otherwise hide them all.
  const [row] = await withTenantScope({ orgId: null, userId: null, bypass: true }, (tx) => tx.execute<{ any: boolean }>(sql`select exists(select 1 from organizations) as any`), db);
  return !row?.any;
}

/**
 * Loads "Northwind Supply", the supplier, with its catalog (lib/demo/seed-northwind.ts), and
 * "Acme Industrial", its account: a two-level branch tree, one user per persona plus a buyer in
 * each other branch, and `orderCount` orders spread over branches and the last twelve months.
 * Every row goes through the same commands a person's action would, so the audit trail is complete.
 */
export async function seedDemo(db: Db, { orderCount = 500, log = (() => {}) as (line: string) => void } = {}) {
  const meta = systemMeta("seed");
  const northwind = await seedNorthwind(db, meta, DEMO_PASSWORD);
  log(`  Northwind Supply: ${northwind.products.size} products`);
  const org = await runCommand(createOrgCommand, systemPrincipal("seed"), meta, { name: "Acme Industrial", slug: "acme" }, db);
  await openDemoAccount(db, meta, northwind.supplier, northwind.products, org.id);
  const operator = systemPrincipal("seed", { id: org.id, slug: org.slug, name: org.name });
  // Acme owns its accounts at acme.test (the operator's override: a demo has no DNS to prove it).
  await runCommand(addDomainCommand, operator, meta, { domain: "acme.test", verifiedByOperator: true }, db);
  const branchIds = new Map<string, string>();
  for (const [region, leaves] of Object.entries(tree)) {
    const regionRow = await runCommand(createBranchCommand, operator, meta, { name: region }, db);
    branchIds.set(region, regionRow.id);
    for (const leaf of leaves) branchIds.set(leaf, (await runCommand(createBranchCommand, operator, meta, { name: leaf, parentId: regionRow.id }, db)).id);
  }
  const buyers = new Map<string, string>();
  for (const p of demoPersonas) {
    const m = await runCommand(createMemberCommand, operator, meta, { email: p.email, name: p.name, password: DEMO_PASSWORD, roleName: p.role, branchId: p.branch ? branchIds.get(p.branch) : null }, db);
    if (p.role === "Buyer" && p.branch) buyers.set(p.branch, m.userId);
  }
  for (const leaf of ["Toronto", "Berlin", "Leeds"]) {
    const email = `buyer.${leaf.toLowerCase()}@acme.test`;
    const m = await runCommand(createMemberCommand, operator, meta, { email, name: `${leaf} Buyer`, password: DEMO_PASSWORD, roleName: "Buyer", branchId: branchIds.get(leaf) }, db);
    buyers.set(leaf, m.userId);
  }
  await seedDemoApprovals(db, meta, operator, branchIds);

  const random = mulberry32(2026);
  const leaves = Object.keys(leafCurrency);
  const now = Date.now();
  const placedOrderIds: string[] = [];
  for (let i = 0; i < orderCount; i++) {
    const leaf = leaves[Math.floor(random() * leaves.length)]!;
    const lineCount = 1 + Math.floor(random() * 4);
    const lines = Array.from({ length: lineCount }, () => {
      const [sku, description, price] = catalog[Math.floor(random() * catalog.length)]!;
      return { sku, description, unitPriceMinor: price, quantity: 1 + Math.floor(random() * 20) };
    });
    const order = await runCommand(
      createOrderCommand,
      operator,
      meta,
      {
        number: `PO-${String(10001 + i)}`,
        branchId: branchIds.get(leaf),
        buyerId: buyers.get(leaf),
        currency: leafCurrency[leaf],
        taxMinor: 0,
        lines,
        status: statuses[Math.floor(random() * statuses.length)],
        placedAt: new Date(now - Math.floor(random() * 365 * 24 * 3600 * 1000)),
      },
      db,
    );
    if (order.status === "approved" || order.status === "fulfilled") placedOrderIds.push(order.id);
    if ((i + 1) % 100 === 0) log(`  ${i + 1}/${orderCount} demo orders`);
  }
  log(`  ${await seedDemoInvoices(db, meta, northwind.supplier, placedOrderIds)} invoices from Northwind`);
  return { org, supplier: northwind.supplier, personas: demoPersonas, supplierPersonas, password: DEMO_PASSWORD };
}

/** Small seeded PRNG so every fresh install gets the same demo data. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
