import { describe, expect, it } from "vitest";
import type { Executor } from "@/db/client";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import { findVisibleBranch, listBranchChildren } from "@/lib/branches/list-branch-tree";
import { runCommand } from "@/lib/core/command";
import { ForbiddenError, HiddenTargetError, StepUpRequiredError } from "@/lib/core/errors";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { listMemberGrants } from "@/lib/grants/list-member-grants";
import { findVisibleMemberByEmail, getMember } from "@/lib/identity/get-member";
import { listMembers, memberListQuerySchema } from "@/lib/identity/list-members";
import { listRoles } from "@/lib/roles/list-roles";
import { loadGrantChoices } from "@/app/orgs/[org]/users/grant-choices";
import type { Principal } from "@/lib/core/context";
import { readAs } from "@/lib/core/read-as";
import { createMemberCommand } from "@/lib/identity/create-member";
import { makeBranch, makeMember, makeOrg, meta, unique } from "../support/factories";

const firstPage = memberListQuerySchema.parse({});

/** Runs a page's query as the page does: in readAs, under row-level security, as that principal. */
const read = <A extends unknown[], T>(query: (db: Executor, principal: Principal, ...args: A) => Promise<T>, principal: Principal, ...args: A): Promise<T> =>
  readAs(principal, (tx) => query(tx, principal, ...args));

async function twoRegions() {
  const org = await makeOrg("Reads Co");
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const emea = await makeBranch(org.operator, "EMEA");
  const berlin = await makeBranch(org.operator, "Berlin", emea.id);
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  const chicagoBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const berlinBuyer = await makeMember(org.operator, { roleName: "Buyer", branchId: berlin.id });
  return { org, na, chicago, emea, berlin, admin, manager, chicagoBuyer, berlinBuyer };
}

const roleIdOf = async (t: Awaited<ReturnType<typeof twoRegions>>, name: string) => (await read(listRoles, t.admin.principal)).find((r) => r.name === name)!.id;

describe("listRoles", () => {
  it("tells direct permissions from inherited ones and names the role they come from", async () => {
    const t = await twoRegions();
    const roles = await read(listRoles, t.manager.principal);
    const manager = roles.find((r) => r.name === "Manager")!;
    expect(manager.sources["orders:cancel"]).toEqual({ kind: "direct" });
    expect(manager.sources["orders:create"]).toEqual({ kind: "inherited", from: "Buyer", via: ["Buyer"] });
    expect(manager.sources["orders:read"]).toMatchObject({ kind: "inherited", from: "Viewer" });
    expect(manager.sources["audit:read"]).toBeUndefined();
    expect(manager.direct).toEqual(["orders:cancel", "users:read", "users:manage"]);
    expect(manager.inherits.map((r) => r.name)).toEqual(["Approver", "Buyer"]);
    expect(manager.inUse).toBe(true);
    expect(roles.find((r) => r.name === "Approver")!.inUse).toBe(false);
  });

  it("refuses a member with neither users:read nor roles:manage, and never lists another org's roles", async () => {
    const t = await twoRegions();
    await expect(read(listRoles, t.chicagoBuyer.principal)).rejects.toBeInstanceOf(ForbiddenError);
    const other = await twoRegions();
    const ids = new Set((await read(listRoles, other.admin.principal)).map((r) => r.id));
    for (const role of await read(listRoles, t.admin.principal)) expect(ids.has(role.id)).toBe(false);
  });
});

describe("listMembers and getMember", () => {
  it("a branch-scoped users:read sees only members holding a grant in that subtree", async () => {
    const t = await twoRegions();
    const seen = (await read(listMembers, t.manager.principal, firstPage)).data.map((m) => m.email).sort();
    expect(seen).toEqual([t.manager.email, t.chicagoBuyer.email].sort());
    const all = (await read(listMembers, t.admin.principal, firstPage)).data.map((m) => m.email);
    expect(all).toHaveLength(4);
    expect(await read(getMember, t.manager.principal, t.berlinBuyer.membershipId)).toBeNull();
    expect(await read(getMember, t.manager.principal, t.admin.membershipId)).toBeNull();
    expect((await read(getMember, t.manager.principal, t.chicagoBuyer.membershipId))?.email).toBe(t.chicagoBuyer.email);
    expect((await read(findVisibleMemberByEmail, t.manager.principal, t.berlinBuyer.email.toUpperCase()))).toBeNull();
    await expect(read(listMembers, t.chicagoBuyer.principal, firstPage)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("a member of another org is not found, even for an org-root admin", async () => {
    const t = await twoRegions();
    const other = await twoRegions();
    expect(await read(getMember, t.admin.principal, other.chicagoBuyer.membershipId)).toBeNull();
    expect(await read(findVisibleMemberByEmail, t.admin.principal, other.chicagoBuyer.email)).toBeNull();
    expect((await read(listMemberGrants, t.admin.principal, other.chicagoBuyer.membershipId)).grants).toEqual([]);
    expect((await read(getMember, t.chicagoBuyer.principal, t.chicagoBuyer.membershipId))?.isSelf).toBe(true);
  });

  it("pages by email with keyset cursors both ways and searches by email prefix", async () => {
    const t = await twoRegions();
    const prefix = unique("zz").toLowerCase();
    for (const n of [1, 2, 3, 4, 5]) await makeMember(t.org.operator, { roleName: "Viewer", email: `${prefix}-${n}@example.test` });
    const query = memberListQuerySchema.parse({ q: prefix.toUpperCase(), limit: "2" });
    const one = await read(listMembers, t.admin.principal, query);
    const two = await read(listMembers, t.admin.principal, { ...query, cursor: one.nextCursor! });
    const three = await read(listMembers, t.admin.principal, { ...query, cursor: two.nextCursor! });
    expect([...one.data, ...two.data, ...three.data].map((m) => m.email)).toEqual([1, 2, 3, 4, 5].map((n) => `${prefix}-${n}@example.test`));
    expect(one.prevCursor).toBeNull();
    expect(three.nextCursor).toBeNull();
    const back = await read(listMembers, t.admin.principal, { ...query, before: three.prevCursor! });
    expect(back.data.map((m) => m.email)).toEqual(two.data.map((m) => m.email));
  });
});

describe("listMemberGrants", () => {
  it("shows the grants inside the reader's subtree, counts the rest, and offers revoke only where allowed", async () => {
    const t = await twoRegions();
    await runCommand(addGrantCommand, t.org.operator, meta, { membershipId: t.chicagoBuyer.membershipId, roleId: await roleIdOf(t, "Viewer"), branchId: t.berlin.id });
    const seen = await read(listMemberGrants, t.manager.principal, t.chicagoBuyer.membershipId);
    expect(seen.grants.map((g) => [g.roleName, g.branchName, g.canRevoke])).toEqual([["Buyer", "Chicago", true]]);
    expect(seen.hiddenCount).toBe(1);
    const own = await read(listMemberGrants, t.manager.principal, t.manager.membershipId);
    expect(own.grants.map((g) => [g.roleName, g.canRevoke])).toEqual([["Manager", false]]);
    const byAdmin = await read(listMemberGrants, t.admin.principal, t.chicagoBuyer.membershipId);
    expect(byAdmin.grants).toHaveLength(2);
    expect(byAdmin.hiddenCount).toBe(0);
  });
});

describe("listBranchChildren", () => {
  it("lists a node's children by name, a page at a time, with hasChildren", async () => {
    const t = await twoRegions();
    for (const name of ["Denver", "austin", "Boston"]) await makeBranch(t.org.operator, name, t.na.id);
    const one = await read(listBranchChildren, t.admin.principal, { parentId: t.na.id, limit: 2 });
    expect(one.nodes.map((n) => n.name)).toEqual(["austin", "Boston"]);
    const two = await read(listBranchChildren, t.admin.principal, { parentId: t.na.id, limit: 2, cursor: one.nextCursor! });
    expect(two.nodes.map((n) => n.name)).toEqual(["Chicago", "Denver"]);
    expect(two.nextCursor).toBeNull();
    const top = await read(listBranchChildren, t.admin.principal, { parentId: null });
    expect(top.nodes.map((n) => [n.name, n.hasChildren, n.canManage])).toEqual([
      ["EMEA", true, true],
      ["North America", true, true],
    ]);
  });

  it("a branch-scoped member's tree starts at their subtree and cannot open another region", async () => {
    const t = await twoRegions();
    const top = await read(listBranchChildren, t.manager.principal, { parentId: null });
    expect(top.nodes.map((n) => [n.name, n.canManage])).toEqual([["North America", false]]);
    expect((await read(listBranchChildren, t.manager.principal, { parentId: t.na.id })).nodes.map((n) => n.name)).toEqual(["Chicago"]);
    expect((await read(listBranchChildren, t.manager.principal, { parentId: t.emea.id })).nodes).toEqual([]);
    expect(await read(findVisibleBranch, t.manager.principal, t.berlin.id)).toBeNull();
    const chicago = await read(findVisibleBranch, t.manager.principal, t.chicago.id);
    expect(chicago?.ancestors.map((a) => a.name)).toEqual(["North America"]);
    const other = await twoRegions();
    expect((await read(listBranchChildren, t.admin.principal, { parentId: other.na.id })).nodes).toEqual([]);
  });
});

describe("listBranchOptions (every branch picker: orders, audit, grants, explorer, move)", () => {
  it("lists the branches where the permission applies in tree order, each child right under its parent, and nothing of another org", async () => {
    const t = await twoRegions();
    // "North America 2" sorts after "North America" but before its child once NUL separators are
    // ignored, as localeCompare does: the old orders picker put it between the parent and Chicago.
    await makeBranch(t.org.operator, "North America 2");
    await makeBranch(t.org.operator, "berlin-east", t.emea.id);
    const other = await twoRegions();
    const all = await read(listBranchOptions, t.admin.principal, "orders:read");
    expect(all.map((b) => [b.name, b.depth])).toEqual([
      ["EMEA", 0],
      ["Berlin", 1],
      ["berlin-east", 1],
      ["North America", 0],
      ["Chicago", 1],
      ["North America 2", 0],
    ]);
    expect(all.find((b) => b.name === "Chicago")?.path).toBe(t.chicago.path);
    expect(all.some((b) => b.id === other.na.id)).toBe(false);
    const region = await read(listBranchOptions, t.manager.principal, "users:manage");
    expect(region.map((b) => b.name)).toEqual(["North America", "Chicago"]);
    expect(await read(listBranchOptions, t.chicagoBuyer.principal, "users:manage")).toEqual([]);
    expect(await read(listBranchOptions, t.admin.principal, "orders:read", 2)).toHaveLength(2);
  });
});

describe("grant choices for the add-grant and add-member forms", () => {
  it("offers only the manager's region and disables roles bigger than the manager there", async () => {
    const t = await twoRegions();
    const choices = await read(loadGrantChoices, t.manager.principal, t.chicagoBuyer.membershipId);
    expect(choices.branches.map((b) => [b.label, b.depth])).toEqual([
      ["North America", 0],
      ["Chicago", 1],
    ]);
    const atNa = choices.policies[choices.branches[0]!.policy]!;
    const byName = Object.fromEntries(choices.roles.map((r) => [r.name, atNa[r.id]]));
    expect(byName.Buyer).toBeNull();
    expect(byName.Manager).toBeNull();
    expect(byName.Admin).toMatch(/permissions you do not hold there/);
    expect(byName.Auditor).toMatch(/audit:read/);
    const own = await read(loadGrantChoices, t.manager.principal, t.manager.membershipId);
    expect(Object.values(own.policies[0]!).every((reason) => reason === "You cannot change your own grants.")).toBe(true);
  });

  it("adding a member cannot escalate: a regional manager cannot mint an Admin, even in their own region", async () => {
    const t = await twoRegions();
    const add = (principal: Principal, roleName: string, branchId: string | null) =>
      runCommand(createMemberCommand, principal, meta, { email: `${unique("new")}@example.test`, roleName, branchId });
    await expect(add(t.manager.principal, "Admin", t.chicago.id)).rejects.toThrow(/do not hold/);
    await expect(add(t.manager.principal, "Buyer", t.chicago.id)).resolves.toMatchObject({ status: "invited" });
    await expect(add(t.manager.principal, "Buyer", t.berlin.id)).rejects.toBeInstanceOf(HiddenTargetError);
    // Adding someone as Admin is an admin-class grant: it needs a recent second factor.
    await expect(add(t.admin.principal, "Admin", null)).rejects.toBeInstanceOf(StepUpRequiredError);
    const steppedUp = { ...t.admin.principal, sessionAuth: { reauthenticatedAt: new Date(), mfaVerifiedAt: new Date() } };
    await expect(add(steppedUp, "Admin", null)).resolves.toMatchObject({ status: "invited" });
  });
});
