import { describe, expect, it } from "vitest";
import { readAs } from "@/lib/core/read-as";
import type { Principal } from "@/lib/core/context";
import { loadNavSections } from "@/lib/shell/nav-sections";
import { makeBranch, makeMember, makeOrg } from "../support/factories";
import { makeSupplierStaff } from "../support/supplier-factories";

/** The labels the shell would show this member, read as the layout reads them: under RLS, as them. */
const navOf = async (principal: Principal) => (await readAs(principal, (tx) => loadNavSections(tx, principal))).map((s) => s.label);

// The supplier case runs last: once a supplier exists, a customer who may order also sees Catalog.
describe("the main navigation shows only the sections a member can use", () => {
  it("a buyer at one branch sees no Users, Roles, Audit or Settings", async () => {
    const org = await makeOrg("Nav Co");
    const chicago = await makeBranch(org.operator, "Chicago");
    const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
    expect(await navOf(buyer.principal)).toEqual(["Overview", "Orders", "Branches", "Access"]);
  });

  it("a branch manager sees Users and Roles for their people, but not Audit or Settings", async () => {
    const org = await makeOrg("Nav Co");
    const na = await makeBranch(org.operator, "North America");
    const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
    expect(await navOf(manager.principal)).toEqual(["Overview", "Orders", "Users", "Roles", "Branches", "Access"]);
  });

  it("an auditor sees Audit, and an admin at the root sees every section including Settings", async () => {
    const org = await makeOrg("Nav Co");
    const auditor = await makeMember(org.operator, { roleName: "Auditor" });
    expect(await navOf(auditor.principal)).toEqual(["Overview", "Orders", "Users", "Roles", "Branches", "Access", "Audit"]);
    const admin = await makeMember(org.operator, { roleName: "Admin" });
    expect(await navOf(admin.principal)).toEqual(["Overview", "Orders", "Users", "Roles", "Branches", "Access", "Audit", "Settings"]);
  });

  it("an admin of one branch does not see Settings, which needs org:manage at the root", async () => {
    const org = await makeOrg("Nav Co");
    const berlin = await makeBranch(org.operator, "Berlin");
    const branchAdmin = await makeMember(org.operator, { roleName: "Admin", branchId: berlin.id });
    expect(await navOf(branchAdmin.principal)).not.toContain("Settings");
    expect(await navOf(branchAdmin.principal)).toContain("Audit");
  });

  it("a member whose grants give no orders:read, users:read or audit:read sees only Overview and Access", async () => {
    // Every template role reads orders somewhere, so the bare case is a member whose grants all lapsed.
    const org = await makeOrg("Nav Co");
    const member = await makeMember(org.operator, { roleName: "Viewer" });
    const bare = { ...member.principal, access: { kind: "none" as const } };
    expect(await navOf(bare)).toEqual(["Overview", "Access"]);
  });

  it("supplier staff see the supplier's sections, never a customer's Orders", async () => {
    const viewer = await makeSupplierStaff("Viewer");
    const labels = await navOf(viewer.principal);
    expect(labels).toEqual(expect.arrayContaining(["Accounts", "Account orders", "Catalog"]));
    expect(labels).not.toContain("Orders");
    expect(labels).not.toContain("Users");
    expect(labels).not.toContain("Audit");
  });
});
