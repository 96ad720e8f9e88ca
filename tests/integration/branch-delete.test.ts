import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, branchAddresses, branches, roles } from "@/db/schema";
import { createApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { deleteBranchCommand } from "@/lib/branches/delete-branch";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/core/errors";
import { createRoleCommand } from "@/lib/roles/create-role";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";

/** Issue 15 item 5: an empty branch can be deleted; anything still on it refuses, with the reason. */
async function tenant() {
  const org = await makeOrg("Pruned Co");
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  await runCommand(createRoleCommand, org.operator, meta, { name: "Tree keeper", permissions: ["branches:manage"] });
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const keeper = await makeMember(org.operator, { roleName: "Tree keeper", branchId: na.id });
  const chicagoKeeper = await makeMember(org.operator, { roleName: "Tree keeper", branchId: chicago.id });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  return { org, na, chicago, emea, admin, keeper, chicagoKeeper, manager };
}

const remove = (principal: Principal, branchId: unknown) => runCommand(deleteBranchCommand, principal, meta, { branchId });
const exists = async (id: string) => (await asOperator((tx) => tx.$count(branches, eq(branches.id, id)))) === 1;

describe("deleting a branch", () => {
  it("removes an empty branch with its addresses, audited as branch.deleted under its parent", async () => {
    const t = await tenant();
    const depot = await makeBranch(t.org.operator, "Old depot", t.na.id);
    await runCommand(addBranchAddressCommand, t.org.operator, meta, { branchId: depot.id, label: "Yard", lines: ["1 Main St"], city: "Gary", country: "US" });
    await remove(t.keeper.principal, depot.id);
    expect(await exists(depot.id)).toBe(false);
    expect(await asOperator((tx) => tx.$count(branchAddresses, eq(branchAddresses.branchId, depot.id)))).toBe(0);
    const [event] = await asOperator((tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.orgId, t.org.id), eq(auditEvents.action, "branch.deleted"))));
    expect(event).toMatchObject({ targetId: depot.id, targetLabel: "Old depot", branchId: t.na.id, outcome: "success" });
    expect(event!.metadata).toMatchObject({ before: { name: "Old depot", parentId: t.na.id }, addressesRemoved: ["Yard"] });
  });

  it("refuses, naming what is still there: children, grants, orders, approval rules", async () => {
    const t = await tenant();
    await expect(remove(t.admin.principal, t.na.id)).rejects.toThrow(/North America cannot be deleted: it still has 1 child branch and 2 grants \(members' access there\)/);
    await expect(remove(t.admin.principal, t.chicago.id)).rejects.toThrow(/Chicago cannot be deleted: it still has 1 grant/);

    const ordered = await makeBranch(t.org.operator, "Ordered", t.emea.id);
    const buyer = await makeMember(t.org.operator, { roleName: "Buyer", branchId: t.emea.id });
    await makeOrder(t.org.operator, { branchId: ordered.id, buyerId: buyer.userId });
    await expect(remove(t.admin.principal, ordered.id)).rejects.toThrow(/it still has orders\. Move or remove it first/);

    const ruled = await makeBranch(t.org.operator, "Ruled", t.emea.id);
    await runCommand(createApprovalRuleCommand, t.org.operator, meta, { name: "Big", branchId: ruled.id, overTotalMinor: 100_00, tiers: [[[(await roleOf(t.org.id, "Manager"))]]] });
    const refused = await remove(t.admin.principal, ruled.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/1 approval rule/);
    for (const id of [t.na.id, t.chicago.id, ordered.id, ruled.id]) expect(await exists(id)).toBe(true);
    // Each refusal is on record as a denial, not as a deletion.
    expect(await asOperator((tx) => tx.$count(auditEvents, and(eq(auditEvents.orgId, t.org.id), eq(auditEvents.action, "branch.deleted"))))).toBe(0);
  });

  it("needs branches:manage at the parent: not at the branch itself, not below, not another region, not another org", async () => {
    const t = await tenant();
    const leaf = await makeBranch(t.org.operator, "Leaf", t.chicago.id);
    const emeaLeaf = await makeBranch(t.org.operator, "EMEA leaf", t.emea.id);
    // A keeper at Leaf's own branch only: they see it, but removing it changes Chicago's subtree.
    const leafKeeper = await makeMember(t.org.operator, { roleName: "Tree keeper", branchId: leaf.id });
    await expect(remove(leafKeeper.principal, leaf.id)).rejects.toBeInstanceOf(ForbiddenError);
    // The North America keeper may not remove North America itself (the org level is above them).
    await expect(remove(t.keeper.principal, t.na.id)).rejects.toBeInstanceOf(ForbiddenError);
    // Another region is invisible to them: answered as not found.
    await expect(remove(t.keeper.principal, emeaLeaf.id)).rejects.toBeInstanceOf(NotFoundError);
    // A manager sees North America but holds no branches:manage.
    await expect(remove(t.manager.principal, leaf.id)).rejects.toBeInstanceOf(ForbiddenError);
    // Another org's admin: not found.
    const other = await tenant();
    await expect(remove(other.admin.principal, emeaLeaf.id)).rejects.toBeInstanceOf(NotFoundError);
    for (const id of [leaf.id, emeaLeaf.id, t.na.id]) expect(await exists(id)).toBe(true);
    // The Chicago keeper holds branches:manage at Chicago, an empty leaf's parent.
    const empty = await makeBranch(t.org.operator, "Empty leaf", t.chicago.id);
    await remove(t.chicagoKeeper.principal, empty.id);
    expect(await exists(empty.id)).toBe(false);
  });

  it("refuses malformed ids without reaching the database", async () => {
    const t = await tenant();
    for (const bad of ["not-a-uuid", "__proto__", "a\u0000b", 42, null, { branchId: "x" }]) await expect(remove(t.admin.principal, bad)).rejects.toBeInstanceOf(ValidationError);
    await expect(runCommand(deleteBranchCommand, t.admin.principal, meta, JSON.parse('{"branchId":"00000000-0000-4000-8000-000000000000","__proto__":{"x":1}}'))).rejects.toBeInstanceOf(ValidationError);
    await expect(remove(t.admin.principal, "00000000-0000-4000-8000-000000000000")).rejects.toBeInstanceOf(NotFoundError);
  });
});

async function roleOf(orgId: string, name: string): Promise<string> {
  const [row] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, name))));
  return row!.id;
}
