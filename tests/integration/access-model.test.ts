import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { roles } from "@/db/schema";
import { can } from "@/lib/access/access";
import { explain } from "@/lib/access/explain";
import { loadAccess } from "@/lib/access/load-access";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { runCommand } from "@/lib/core/command";
import { readAs } from "@/lib/core/read-as";
import { ForbiddenError, HiddenTargetError, ValidationError } from "@/lib/core/errors";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { revokeGrantCommand } from "@/lib/grants/revoke-grant";
import { listOrders } from "@/lib/orders/list-orders";
import { orderListQuerySchema } from "@/lib/orders/schemas";
import { createRoleCommand } from "@/lib/roles/create-role";
import { deleteRoleCommand } from "@/lib/roles/delete-role";
import { updateRoleCommand } from "@/lib/roles/update-role";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrder, makeOrg, meta } from "../support/factories";

async function roleId(orgId: string, name: string): Promise<string> {
  const [row] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, name))));
  return row!.id;
}

/** A member's live access, as the next request would load it. */
const accessOf = (membershipId: string) => asOperator((tx) => loadAccess(tx, membershipId));

async function acme() {
  const org = await makeOrg("Access Co");
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  const berlin = await makeBranch(org.operator, "Berlin", emea.id);
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const buyer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  return { org, na, chicago, emea, berlin, manager, buyer };
}

describe("roles with inheritance", () => {
  it("a template's effective permissions include what it inherits, and explain names the chain", async () => {
    const t = await acme();
    const access = await accessOf(t.manager.membershipId);
    expect(can(access, "orders:create", t.chicago.path)).toBe(true); // Manager → Buyer
    expect(can(access, "invoices:approve", t.chicago.path)).toBe(true); // Manager → Approver
    const why = explain(access, "orders:create", t.chicago.path);
    expect(why.allowed && why.via).toEqual(["Manager", "Buyer"]);
    const denied = explain(access, "orders:read", t.berlin.path);
    expect(denied.allowed).toBe(false);
    expect(!denied.allowed && denied.reason).toContain("North America");
  });

  it("an inheritance cycle is rejected with a clear error naming the field", async () => {
    const t = await acme();
    const viewer = await roleId(t.org.id, "Viewer");
    const manager = await roleId(t.org.id, "Manager");
    const error = await runCommand(updateRoleCommand, t.org.operator, meta, { roleId: viewer, name: "Viewer", permissions: ["orders:read"], inherits: [manager] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.inherits).toEqual(["would create an inheritance cycle"]);
  });

  it("A role change takes effect on the next request", async () => {
    const t = await acme();
    const before = await accessOf(t.buyer.membershipId);
    expect(can(before, "orders:read", t.chicago.path)).toBe(true);
    await runCommand(updateRoleCommand, t.org.operator, meta, { roleId: await roleId(t.org.id, "Viewer"), name: "Viewer", permissions: ["invoices:read"], inherits: [] });
    const after = await accessOf(t.buyer.membershipId);
    expect(can(after, "orders:read", t.chicago.path)).toBe(false);
  });

  it("a role in use cannot be deleted without saying what happens to its grants", async () => {
    const t = await acme();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    const temp = await runCommand(createRoleCommand, admin.principal, meta, { name: "Temp", permissions: ["orders:read"] });
    const holder = await makeMember(t.org.operator, { roleName: "Temp", branchId: t.chicago.id });
    const refused = await runCommand(deleteRoleCommand, admin.principal, meta, { roleId: temp.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(Object.keys((refused as ValidationError).fieldErrors)).toEqual(["grants"]);
    const deleted = await runCommand(deleteRoleCommand, admin.principal, meta, { roleId: temp.id, grants: { reassignTo: await roleId(t.org.id, "Viewer") } });
    expect(deleted.grantsAffected).toBe(1);
    expect(can(await accessOf(holder.membershipId), "orders:read", t.chicago.path)).toBe(true); // now via Viewer
    // A role other roles inherit cannot go at all until they stop inheriting it.
    await expect(runCommand(deleteRoleCommand, admin.principal, meta, { roleId: await roleId(t.org.id, "Approver"), grants: "revoke" })).rejects.toThrow(/inherit/);
  });

  it("nobody can create a role that holds more than they hold", async () => {
    const t = await acme();
    await runCommand(createRoleCommand, t.org.operator, meta, { name: "Role editor", permissions: ["roles:manage", "orders:read"] });
    const editor = await makeMember(t.org.operator, { roleName: "Role editor" });
    await expect(runCommand(createRoleCommand, editor.principal, meta, { name: "Sneaky", permissions: ["audit:read"] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runCommand(createRoleCommand, editor.principal, meta, { name: "Sneakier", inherits: [await roleId(t.org.id, "Admin")] })).rejects.toBeInstanceOf(ForbiddenError);
    const fine = await runCommand(createRoleCommand, editor.principal, meta, { name: "Reader", permissions: ["orders:read"] });
    expect(fine.id).toBeTruthy();
  });
});

describe("delegation without escalation", () => {
  it("a regional manager grants Buyer in their region, but not Admin, not elsewhere, not to themselves", async () => {
    const t = await acme();
    const buyerRole = await roleId(t.org.id, "Buyer");
    const adminRole = await roleId(t.org.id, "Admin");
    const ok = await runCommand(addGrantCommand, t.manager.principal, meta, { membershipId: t.buyer.membershipId, roleId: buyerRole, branchId: t.chicago.id });
    expect(ok.id).toBeTruthy();
    // Admin in their own region: forbidden (403). Another region: not even visible (404). Themselves: forbidden.
    const refusals = [
      { input: { membershipId: t.buyer.membershipId, roleId: adminRole, branchId: t.chicago.id }, error: ForbiddenError },
      { input: { membershipId: t.buyer.membershipId, roleId: buyerRole, branchId: t.berlin.id }, error: HiddenTargetError },
      { input: { membershipId: t.manager.membershipId, roleId: buyerRole, branchId: t.chicago.id }, error: ForbiddenError },
    ];
    for (const r of refusals) await expect(runCommand(addGrantCommand, t.manager.principal, meta, r.input)).rejects.toBeInstanceOf(r.error);
  });

  it("A revoked grant takes effect on the next request", async () => {
    const t = await acme();
    const grant = await runCommand(addGrantCommand, t.manager.principal, meta, { membershipId: t.buyer.membershipId, roleId: await roleId(t.org.id, "Buyer"), branchId: t.chicago.id });
    expect(can(await accessOf(t.buyer.membershipId), "orders:create", t.chicago.path)).toBe(true);
    await runCommand(revokeGrantCommand, t.manager.principal, meta, { grantId: grant.id });
    expect(can(await accessOf(t.buyer.membershipId), "orders:create", t.chicago.path)).toBe(false);
  });
});

describe("branch moves", () => {
  it("moving a branch moves its subtree and the access that follows from it", async () => {
    const t = await acme();
    const order = await makeOrder(t.org.operator, { branchId: t.chicago.id, buyerId: t.buyer.userId });
    const emeaManager = await makeMember(t.org.operator, { roleName: "Manager", branchId: t.emea.id });
    const page = orderListQuerySchema.parse({});
    expect((await readAs(emeaManager.principal, (tx) => listOrders(tx, emeaManager.principal, page))).data).toHaveLength(0);
    await runCommand(moveBranchCommand, t.org.operator, meta, { branchId: t.chicago.id, newParentId: t.emea.id });
    const reloaded = { ...emeaManager.principal, access: await accessOf(emeaManager.membershipId) };
    expect((await readAs(reloaded, (tx) => listOrders(tx, reloaded, page))).data.map((o) => o.id)).toEqual([order.id]);
    const naManager = { ...t.manager.principal, access: await accessOf(t.manager.membershipId) };
    expect((await readAs(naManager, (tx) => listOrders(tx, naManager, page))).data).toHaveLength(0);
    await expect(runCommand(moveBranchCommand, t.org.operator, meta, { branchId: t.emea.id, newParentId: t.chicago.id })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("branch names", () => {
  it("siblings have distinct names, case-insensitively, on create, rename and move alike", async () => {
    const t = await acme();
    const { ConflictError } = await import("@/lib/core/errors");
    const { renameBranchCommand } = await import("@/lib/branches/rename-branch");
    const clash = await makeBranch(t.org.operator, "chicago", t.na.id).catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(ConflictError);
    expect((clash as InstanceType<typeof ConflictError>).field).toBe("name");
    const toronto = await makeBranch(t.org.operator, "Toronto", t.na.id);
    await expect(runCommand(renameBranchCommand, t.org.operator, meta, { branchId: toronto.id, name: "CHICAGO" })).rejects.toBeInstanceOf(ConflictError);
    const otherChicago = await makeBranch(t.org.operator, "Chicago", t.emea.id); // another parent: fine
    await expect(runCommand(moveBranchCommand, t.org.operator, meta, { branchId: otherChicago.id, newParentId: t.na.id })).rejects.toBeInstanceOf(ConflictError);
  });
});
