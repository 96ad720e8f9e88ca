import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { roles } from "@/db/schema";
import { withTenantScope } from "@/db/tenant-scope";
import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { runCommand } from "@/lib/core/command";
import type { Principal, RequestMeta } from "@/lib/core/context";

const docks: Record<string, { lines: string[]; city: string; region: string; postalCode: string; country: string }> = {
  Chicago: { lines: ["2200 W Fulton St"], city: "Chicago", region: "IL", postalCode: "60612", country: "US" },
  Toronto: { lines: ["85 Queens Quay E"], city: "Toronto", region: "ON", postalCode: "M5E 1A5", country: "CA" },
  Berlin: { lines: ["Lindenstraße 12"], city: "Berlin", region: "", postalCode: "10969", country: "DE" },
  Leeds: { lines: ["14 Wellington St"], city: "Leeds", region: "", postalCode: "LS1 4DL", country: "GB" },
};

/**
 * The ordering side of the demo: a default ship-to address per city, and the rule at
 * North America: over USD 5,000 a Manager approves; over USD 20,000 a Manager, then an Admin.
 * So the buyer's USD 6,000 order in Chicago waits for manager@acme.test.
 */
export async function seedDemoApprovals(db: Db, meta: RequestMeta, operator: Principal, branchIds: ReadonlyMap<string, string>): Promise<void> {
  for (const [city, dock] of Object.entries(docks)) {
    const branchId = branchIds.get(city);
    if (branchId) await runCommand(addBranchAddressCommand, operator, meta, { branchId, label: `${city} receiving dock`, ...dock, isShipTo: true, isDefault: true }, db);
  }
  const orgId = operator.org!.id;
  const roleId = async (name: string) => {
    const [row] = await withTenantScope({ orgId, userId: null, bypass: true }, (tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, name))), db);
    return row!.id;
  };
  const manager = await roleId("Manager");
  const admin = await roleId("Admin");
  const na = branchIds.get("North America")!;
  await runCommand(createApprovalRuleCommand, operator, meta, { name: "North America over USD 5,000", branchId: na, overTotalMinor: 5_000_00, tiers: [[[manager]]], escalateAfterHours: 24 }, db);
  await runCommand(createApprovalRuleCommand, operator, meta, { name: "North America over USD 20,000", branchId: na, overTotalMinor: 20_000_00, tiers: [[[manager]], [[admin]]], escalateAfterHours: 24 }, db);
}
