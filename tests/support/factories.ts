import { getDb } from "@/db/client";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { systemMeta } from "@/lib/core/request-meta";
import { systemPrincipal } from "@/lib/core/system-principal";
import { createMemberCommand } from "@/lib/identity/create-member";
import { loadMemberPrincipal } from "@/lib/identity/load-member-principal";
import { createOrderCommand } from "@/lib/orders/create-order";
import { createOrgCommand } from "@/lib/orgs/create-org";

/** Test data is made through the real commands, exactly as the app makes it. */
export const meta = systemMeta("test");
let counter = 0;
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 7)}`;
export const TEST_PASSWORD = "correct horse battery staple";

export async function makeOrg(name = "Org") {
  const slug = unique("org").toLowerCase();
  const org = await runCommand(createOrgCommand, systemPrincipal("test"), meta, { name, slug });
  return { ...org, operator: systemPrincipal("test", { id: org.id, slug: org.slug, name: org.name }) };
}

export async function makeBranch(operator: Principal, name: string, parentId?: string) {
  return runCommand(createBranchCommand, operator, meta, { name, parentId: parentId ?? null });
}

export async function makeMember(operator: Principal, { roleName = "Buyer", branchId = null as string | null, email = `${unique("user")}@example.test` } = {}) {
  const created = await runCommand(createMemberCommand, operator, meta, { email, password: TEST_PASSWORD, roleName, branchId });
  const principal = await loadMemberPrincipal(getDb(), { type: "user", userId: created.userId, label: email }, operator.org!.slug);
  if (!principal) throw new Error("member principal missing");
  return { ...created, email, principal };
}

export async function makeOrder(operator: Principal, { branchId, buyerId, totalMinor = 1000, number }: { branchId: string; buyerId: string; totalMinor?: number; number?: string }) {
  return runCommand(createOrderCommand, operator, meta, {
    number,
    branchId,
    buyerId,
    currency: "USD",
    lines: [{ sku: "SKU-1", description: "Widget", quantity: 1, unitPriceMinor: totalMinor }],
  });
}
