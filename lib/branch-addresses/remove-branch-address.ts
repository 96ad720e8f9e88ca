import { eq } from "drizzle-orm";
import { branchAddresses } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { describeAddress, loadAddress, loadManagedBranch } from "./address-store";
import { removeBranchAddressSchema } from "./schemas";

/** Removes a branch's address (branches:manage). Orders keep the copy of the address they ship to. */
export const removeBranchAddressCommand = defineCommand({
  name: "branch.address.removed",
  description: "An address was removed from a branch (what it was in the metadata); orders keep their own copy.",
  access: { permission: "branches:manage" },
  input: removeBranchAddressSchema,
  async run(ctx, input) {
    const { orgId, branch } = await loadManagedBranch(ctx, input.branchId);
    const address = await loadAddress(ctx.tx, orgId, branch.id, input.addressId);
    await ctx.tx.delete(branchAddresses).where(eq(branchAddresses.id, address.id));
    return { result: { id: address.id }, target: { type: "branch_address", id: address.id }, branchId: branch.id, metadata: { before: describeAddress(address) } };
  },
});
