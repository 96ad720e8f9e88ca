import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, branches, roles } from "@/db/schema";
import { PATCH as branchPatch } from "@/app/api/v1/branches/[id]/route";
import { PATCH as rolePatch } from "@/app/api/v1/roles/[id]/route";
import { can } from "@/lib/access/access";
import { loadAccess } from "@/lib/access/load-access";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, StepUpRequiredError } from "@/lib/core/errors";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { createApiTokenCommand } from "@/lib/identity/create-api-token";
import { createRoleCommand } from "@/lib/roles/create-role";
import { deleteRoleCommand } from "@/lib/roles/delete-role";
import { updateRoleCommand } from "@/lib/roles/update-role";
import { asOperator } from "../support/as-operator";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";

/** Escalation paths through the access model: editing roles (item 2) and moving branches (item 3). */
async function roleIdOf(orgId: string, name: string): Promise<string> {
  const [row] = await asOperator((tx) => tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.name, name))));
  return row!.id;
}

/** The member's principal as their next request would load it (after grants added since). */
async function reloaded(member: { principal: Principal; membershipId: string }): Promise<Principal> {
  return { ...member.principal, access: await asOperator((tx) => loadAccess(tx, member.membershipId)) };
}

/** Right after a second-factor check, for the commands that need an MFA step-up. */
const steppedUp = (principal: Principal): Principal => ({ ...principal, sessionId: crypto.randomUUID(), sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } });

async function tenant() {
  const org = await makeOrg("Escalation Co");
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  const berlin = await makeBranch(org.operator, "Berlin", emea.id);
  const id = (name: string) => roleIdOf(org.id, name);
  return { org, na, chicago, emea, berlin, id };
}

describe("Delegation never grants more than the delegator holds: not by editing a role (the ceiling is what the editor holds at the org root)", () => {
  /** roles:manage and orders:read at the org root, and Admin (everything) at Berlin only. */
  async function branchAdminEditor(t: Awaited<ReturnType<typeof tenant>>) {
    await runCommand(createRoleCommand, t.org.operator, meta, { name: "Role editor", permissions: ["roles:manage", "orders:read"] });
    const editor = await makeMember(t.org.operator, { roleName: "Role editor" });
    await runCommand(addGrantCommand, t.org.operator, meta, { membershipId: editor.membershipId, roleId: await t.id("Admin"), branchId: t.berlin.id });
    return { ...editor, principal: steppedUp(await reloaded(editor)) };
  }

  it("an editor who holds audit:read only at Berlin cannot add it to any role: their own, one held at the root, or a new one", async () => {
    const t = await tenant();
    const editor = await branchAdminEditor(t);
    const edit = (role: string, permissions: string[]) => t.id(role).then((roleId) => runCommand(updateRoleCommand, editor.principal, meta, { roleId, name: role, permissions }));
    const approver = await t.id("Approver");
    for (const attempt of [
      () => edit("Role editor", ["roles:manage", "orders:read", "audit:read"]),
      () => edit("Viewer", ["orders:read", "invoices:read", "orders:approve"]),
      () => runCommand(createRoleCommand, editor.principal, meta, { name: "Night auditor", permissions: ["audit:read"] }),
      () => runCommand(createRoleCommand, editor.principal, meta, { name: "Approver too", inherits: [approver] }),
    ]) {
      const refused = await attempt().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ForbiddenError);
      expect((refused as ForbiddenError).message).toMatch(/do not hold across the whole organization/);
    }
    const after = await reloaded(editor);
    expect(can(after.access, "audit:read", t.chicago.path)).toBe(false);
    // What they hold at the root they may still give.
    await expect(edit("Viewer", ["orders:read"])).resolves.toMatchObject({ id: await t.id("Viewer") });
  });

  it("deleting a role cannot move its grants to a role bigger than the editor's root permissions", async () => {
    const t = await tenant();
    const editor = await branchAdminEditor(t);
    const temp = await runCommand(createRoleCommand, t.org.operator, meta, { name: "Temp", permissions: ["orders:read"] });
    await makeMember(t.org.operator, { roleName: "Temp", branchId: t.chicago.id });
    const refused = await runCommand(deleteRoleCommand, editor.principal, meta, { roleId: temp.id, grants: { reassignTo: await t.id("Auditor") } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as ForbiddenError).message).toContain("audit:read");
    await expect(runCommand(deleteRoleCommand, editor.principal, meta, { roleId: temp.id, grants: { reassignTo: await t.id("Viewer") } })).rejects.toThrow(/invoices:read/);
  });

});

describe("MFA is required for every member who holds an admin-class permission: adding one to a role in use needs a step-up, as granting one does", () => {
  it("an admin adding audit:read to a granted role needs a recent second factor; an API token is refused", async () => {
    const t = await tenant();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    await makeMember(t.org.operator, { roleName: "Viewer", branchId: t.chicago.id });
    const viewer = await t.id("Viewer");
    const input = { roleId: viewer, name: "Viewer", permissions: ["orders:read", "invoices:read", "audit:read"] };
    await expect(runCommand(updateRoleCommand, admin.principal, meta, input)).rejects.toBeInstanceOf(StepUpRequiredError);
    const token = (await runCommand(createApiTokenCommand, t.org.operator, meta, { email: admin.email })).token;
    const viaApi = await rolePatch(
      new Request(`http://localhost/api/v1/roles/${viewer}`, { method: "PATCH", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(input) }),
      { params: Promise.resolve({ id: viewer }) },
    );
    expect(viaApi.status).toBe(403);
    expect((await viaApi.json()).detail).toMatch(/API token/);
    await expect(runCommand(updateRoleCommand, steppedUp(admin.principal), meta, input)).resolves.toMatchObject({ id: viewer });
    // Non-admin-class changes to a role in use need no step-up.
    await expect(runCommand(updateRoleCommand, admin.principal, meta, { ...input, permissions: ["orders:read", "invoices:read", "audit:read", "orders:approve"] })).resolves.toBeTruthy();
  });

  it("a role counts as in use when a granted role inherits it; a role nobody holds needs no step-up", async () => {
    const t = await tenant();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    const base = await runCommand(createRoleCommand, t.org.operator, meta, { name: "Base", permissions: ["orders:read"] });
    const unused = await runCommand(createRoleCommand, t.org.operator, meta, { name: "Unused", permissions: ["orders:read"] });
    await runCommand(createRoleCommand, t.org.operator, meta, { name: "Wrapper", inherits: [base.id] });
    await makeMember(t.org.operator, { roleName: "Wrapper", branchId: t.berlin.id });
    await expect(runCommand(updateRoleCommand, admin.principal, meta, { roleId: base.id, name: "Base", permissions: ["orders:read", "users:manage"] })).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(runCommand(updateRoleCommand, admin.principal, meta, { roleId: unused.id, name: "Unused", permissions: ["orders:read", "users:manage"] })).resolves.toBeTruthy();
  });

  it("deleting a role and moving its grants to one with admin-class permissions the old one lacked needs a step-up", async () => {
    const t = await tenant();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    const temp = await runCommand(createRoleCommand, t.org.operator, meta, { name: "Temp", permissions: ["orders:read"] });
    await makeMember(t.org.operator, { roleName: "Temp", branchId: t.chicago.id });
    const toAuditor = { roleId: temp.id, grants: { reassignTo: await t.id("Auditor") } };
    await expect(runCommand(deleteRoleCommand, admin.principal, meta, toAuditor)).rejects.toBeInstanceOf(StepUpRequiredError);
    await expect(runCommand(deleteRoleCommand, steppedUp(admin.principal), meta, toAuditor)).resolves.toMatchObject({ grantsAffected: 1 });
  });
});

describe("Delegation never grants more than the delegator holds: not by moving a branch under grants the mover does not hold", () => {
  /** branches:manage over the whole tree, and Manager (approvals, people) in EMEA only. */
  async function treeKeeper(t: Awaited<ReturnType<typeof tenant>>) {
    await runCommand(createRoleCommand, t.org.operator, meta, { name: "Tree keeper", permissions: ["branches:manage"] });
    const keeper = await makeMember(t.org.operator, { roleName: "Tree keeper" });
    await runCommand(addGrantCommand, t.org.operator, meta, { membershipId: keeper.membershipId, roleId: await t.id("Manager"), branchId: t.emea.id });
    return { ...keeper, principal: await reloaded(keeper) };
  }

  it("moving Chicago under EMEA, where the mover is a Manager, is refused: it would make them Chicago's manager", async () => {
    const t = await tenant();
    const keeper = await treeKeeper(t);
    const refused = await runCommand(moveBranchCommand, keeper.principal, meta, { branchId: t.chicago.id, newParentId: t.emea.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect((refused as ForbiddenError).message).toMatch(/would give you permissions over it that you do not hold there now: .*orders:approve.*users:manage/);
    expect((await asOperator((tx) => tx.select({ parentId: branches.parentId }).from(branches).where(eq(branches.id, t.chicago.id))))[0]!.parentId).toBe(t.na.id);
    expect(can((await reloaded(keeper)).access, "orders:approve", t.chicago.path)).toBe(false);
    // The same through PATCH: 403, and nothing moved.
    const token = (await runCommand(createApiTokenCommand, t.org.operator, meta, { email: keeper.email })).token;
    const res = await branchPatch(patch(`/api/v1/branches/${t.chicago.id}`, token, { parentId: t.emea.id }), { params: Promise.resolve({ id: t.chicago.id }) });
    expect(res.status).toBe(403);
  });

  it("a move that gives the mover nothing new is allowed: within their grants, out from under them, or to the top", async () => {
    const t = await tenant();
    const keeper = await treeKeeper(t);
    const leeds = await makeBranch(t.org.operator, "Leeds", t.berlin.id);
    // Berlin → North America: the keeper loses Manager over it, gains nothing.
    await expect(runCommand(moveBranchCommand, keeper.principal, meta, { branchId: t.berlin.id, newParentId: t.na.id })).resolves.toMatchObject({ branchesMoved: 2 });
    await expect(runCommand(moveBranchCommand, keeper.principal, meta, { branchId: leeds.id, newParentId: null })).resolves.toMatchObject({ branchesMoved: 1 });
    // An Admin at the root gains nothing anywhere: every move is fine.
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    await expect(runCommand(moveBranchCommand, admin.principal, meta, { branchId: t.chicago.id, newParentId: t.emea.id })).resolves.toMatchObject({ branchesMoved: 1 });
  });

  it("a branch-scoped mover cannot move a branch from under their own grant into one they hold more in", async () => {
    const t = await tenant();
    await runCommand(createRoleCommand, t.org.operator, meta, { name: "Tree keeper", permissions: ["branches:manage", "orders:read"] });
    const keeper = await makeMember(t.org.operator, { roleName: "Tree keeper", branchId: t.na.id });
    const toronto = await makeBranch(t.org.operator, "Toronto", t.na.id);
    await runCommand(addGrantCommand, t.org.operator, meta, { membershipId: keeper.membershipId, roleId: await t.id("Approver"), branchId: t.chicago.id });
    const principal = await reloaded(keeper);
    await expect(runCommand(moveBranchCommand, principal, meta, { branchId: toronto.id, newParentId: t.chicago.id })).rejects.toThrow(/orders:approve/);
    // Chicago, where they approve, may go under Toronto: they keep their Chicago grant and gain nothing.
    await expect(runCommand(moveBranchCommand, principal, meta, { branchId: t.chicago.id, newParentId: toronto.id })).resolves.toMatchObject({ branchesMoved: 1 });
  });
});

describe("PATCH /api/v1/branches/{id}: rename and move are one command, one transaction", () => {
  it("a rename that would succeed plus a move that fails leaves the name unchanged; a good pair is one branch.updated event", async () => {
    const t = await tenant();
    const admin = await makeMember(t.org.operator, { roleName: "Admin" });
    const token = (await runCommand(createApiTokenCommand, t.org.operator, meta, { email: admin.email })).token;
    const call = (id: string, body: unknown) => branchPatch(patch(`/api/v1/branches/${id}`, token, body), { params: Promise.resolve({ id }) });
    const nameOf = async (id: string) => (await asOperator((tx) => tx.select({ name: branches.name, parentId: branches.parentId }).from(branches).where(eq(branches.id, id))))[0]!;

    const underItself = await call(t.na.id, { name: "Americas", parentId: t.chicago.id });
    expect(underItself.status).toBe(422);
    expect((await underItself.json()).errors).toEqual({ parentId: ["cannot be the branch itself or one of its descendants"] });
    expect(await nameOf(t.na.id)).toEqual({ name: "North America", parentId: null });
    const missingParent = await call(t.chicago.id, { name: "Chicago Loop", parentId: crypto.randomUUID() });
    expect(missingParent.status).toBe(404);
    expect((await nameOf(t.chicago.id)).name).toBe("Chicago");

    // The name is checked where the branch ends up: "Berlin" is taken under EMEA, not under North America.
    const clash = await call(t.chicago.id, { name: "berlin", parentId: t.emea.id });
    expect(clash.status).toBe(409);
    expect(await nameOf(t.chicago.id)).toEqual({ name: "Chicago", parentId: t.na.id });

    const ok = await call(t.chicago.id, { name: "Chicago Loop", parentId: t.emea.id });
    expect(ok.status).toBe(200);
    expect(await nameOf(t.chicago.id)).toEqual({ name: "Chicago Loop", parentId: t.emea.id });
    const events = await asOperator((tx) => tx.select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(and(eq(auditEvents.orgId, t.org.id), eq(auditEvents.targetId, t.chicago.id), eq(auditEvents.outcome, "success"))));
    const changes = events.filter((e) => e.action.startsWith("branch.") && e.action !== "branch.created");
    expect(changes).toEqual([{ action: "branch.updated", metadata: { before: { name: "Chicago", parentId: t.na.id }, after: { name: "Chicago Loop", parentId: t.emea.id }, branchesMoved: 1 } }]);
  });
});

function patch(url: string, token: string, body: unknown) {
  return new Request(`http://localhost${url}`, { method: "PATCH", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
}
