import { describe, expect, it } from "vitest";
import { addBranchAddressCommand } from "@/lib/branch-addresses/add-branch-address";
import { findBranchAddress, listBranchAddresses } from "@/lib/branch-addresses/list-branch-addresses";
import { removeBranchAddressCommand } from "@/lib/branch-addresses/remove-branch-address";
import { updateBranchAddressCommand } from "@/lib/branch-addresses/update-branch-address";
import { runCommand } from "@/lib/core/command";
import type { Principal } from "@/lib/core/context";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { makeBranch, makeMember, makeOrg, meta } from "../support/factories";

async function tenant(name = "Addressed Co") {
  const org = await makeOrg(name);
  const na = await makeBranch(org.operator, "North America");
  const chicago = await makeBranch(org.operator, "Chicago", na.id);
  const berlin = await makeBranch(org.operator, "Berlin");
  const admin = await makeMember(org.operator, { roleName: "Admin" });
  const buyer = await makeMember(org.operator, { roleName: "Buyer", branchId: chicago.id });
  const viewer = await makeMember(org.operator, { roleName: "Viewer", branchId: chicago.id });
  const manager = await makeMember(org.operator, { roleName: "Manager", branchId: na.id });
  return { org, na, chicago, berlin, admin, buyer, viewer, manager };
}

const dock = { label: "Dock 4", lines: ["1200 W Fulton St", "Dock 4"], city: "Chicago", region: "IL", postalCode: "60607", country: "US" };
const add = (principal: Principal, branchId: string, extra: Record<string, unknown> = {}) => runCommand(addBranchAddressCommand, principal, meta, { ...dock, branchId, ...extra });

describe("branch addresses", () => {
  it("branches:manage adds, edits and removes addresses; one default per branch, the new one taking over", async () => {
    const t = await tenant();
    const first = await add(t.admin.principal, t.chicago.id, { isDefault: true });
    const second = await add(t.admin.principal, t.chicago.id, { label: "Office", isShipTo: false, isDefault: true });
    let list = await readAs(t.admin.principal, (tx) => listBranchAddresses(tx, t.admin.principal, t.chicago.id));
    expect(list!.map((a) => [a.label, a.isDefault])).toEqual([["Office", true], ["Dock 4", false]]);
    await runCommand(updateBranchAddressCommand, t.admin.principal, meta, { branchId: t.chicago.id, addressId: first.id, isDefault: true, city: "Chicago Heights" });
    list = await readAs(t.admin.principal, (tx) => listBranchAddresses(tx, t.admin.principal, t.chicago.id));
    expect(list!.map((a) => [a.label, a.city, a.isDefault])).toEqual([["Dock 4", "Chicago Heights", true], ["Office", "Chicago", false]]);
    await runCommand(removeBranchAddressCommand, t.admin.principal, meta, { branchId: t.chicago.id, addressId: second.id });
    expect((await readAs(t.admin.principal, (tx) => listBranchAddresses(tx, t.admin.principal, t.chicago.id)))!.map((a) => a.id)).toEqual([first.id]);
  });

  it("readable by whoever may order for the branch; a ship-to lookup refuses a non-ship-to address", async () => {
    const t = await tenant();
    const shipTo = await add(t.admin.principal, t.chicago.id);
    const office = await add(t.admin.principal, t.chicago.id, { label: "Office", isShipTo: false });
    expect((await readAs(t.buyer.principal, (tx) => listBranchAddresses(tx, t.buyer.principal, t.chicago.id)))!.length).toBe(2);
    expect((await readAs(t.buyer.principal, (tx) => findBranchAddress(tx, t.buyer.principal, t.chicago.id, shipTo.id, { shipTo: true })))?.label).toBe("Dock 4");
    expect(await readAs(t.buyer.principal, (tx) => findBranchAddress(tx, t.buyer.principal, t.chicago.id, office.id, { shipTo: true }))).toBeNull();
    // The address must belong to the branch named: another branch's id does not reach it.
    expect(await readAs(t.admin.principal, (tx) => findBranchAddress(tx, t.admin.principal, t.berlin.id, shipTo.id))).toBeNull();
  });

  it("A member scoped to branch X cannot read branch Y: a buyer in Chicago sees no Berlin addresses, and a Viewer (no orders:create) none at all", async () => {
    const t = await tenant();
    await add(t.admin.principal, t.berlin.id, { city: "Berlin", country: "DE" });
    await add(t.admin.principal, t.chicago.id);
    expect(await readAs(t.buyer.principal, (tx) => listBranchAddresses(tx, t.buyer.principal, t.berlin.id))).toBeNull();
    expect(await readAs(t.viewer.principal, (tx) => listBranchAddresses(tx, t.viewer.principal, t.chicago.id))).toBeNull();
  });

  it("Nothing crosses tenants: another org's branch or address id is not found, for reads and writes", async () => {
    const a = await tenant("Addr A");
    const b = await tenant("Addr B");
    const theirs = await add(b.admin.principal, b.chicago.id);
    expect(await readAs(a.admin.principal, (tx) => listBranchAddresses(tx, a.admin.principal, b.chicago.id))).toBeNull();
    await expect(add(a.admin.principal, b.chicago.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(runCommand(updateBranchAddressCommand, a.admin.principal, meta, { branchId: a.chicago.id, addressId: theirs.id, label: "Mine" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(runCommand(removeBranchAddressCommand, a.admin.principal, meta, { branchId: b.chicago.id, addressId: theirs.id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("too little permission: a buyer and a manager (no branches:manage) cannot change addresses", async () => {
    const t = await tenant();
    const address = await add(t.admin.principal, t.chicago.id);
    await expect(add(t.buyer.principal, t.chicago.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(runCommand(updateBranchAddressCommand, t.manager.principal, meta, { branchId: t.chicago.id, addressId: address.id, label: "X" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("bad input names the field: a country that is not ISO 3166, no street line, NUL or a line break in a line, five lines", async () => {
    const t = await tenant();
    const errors = async (extra: Record<string, unknown>) => ((await add(t.admin.principal, t.chicago.id, extra).catch((e: unknown) => e)) as ValidationError).fieldErrors;
    expect(await errors({ country: "XX" })).toEqual({ country: ["is not an ISO 3166 country code"] });
    expect(await errors({ country: "usa" })).toEqual({ country: [expect.stringContaining("two-letter ISO 3166 country code")] });
    expect(await errors({ lines: [] })).toEqual({ lines: ["needs at least one street line"] });
    // NUL is refused at the boundary, for every field, before the address rules run.
    expect(await errors({ lines: ["a\u0000b"] })).toEqual({ "lines.0": ["must not contain NUL characters (\\u0000)"] });
    expect(await errors({ lines: ["a\nb"] })).toEqual({ "lines.0": ["must not contain control characters such as NUL or line breaks"] });
    expect(await errors({ lines: ["1", "2", "3", "4", "5"] })).toEqual({ lines: ["may have at most four lines"] });
    expect(await add(t.admin.principal, t.chicago.id, { country: "DE" }).then(() => "ok")).toBe("ok");
  });
});
