import { eq, sql } from "drizzle-orm";
import { branchAddresses } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { clearOtherDefaults } from "./add-branch-address";
import { describeAddress, loadAddress, loadManagedBranch } from "./address-store";
import { updateBranchAddressSchema } from "./schemas";

/** Changes a branch's address (branches:manage at the branch). */
export const updateBranchAddressCommand = defineCommand({
  name: "branch.address.updated",
  description: "A branch's address was changed (before and after in the metadata).",
  access: { permission: "branches:manage" },
  input: updateBranchAddressSchema,
  async run(ctx, input) {
    const { orgId, branch } = await loadManagedBranch(ctx, input.branchId);
    const address = await loadAddress(ctx.tx, orgId, branch.id, input.addressId);
    const changes = Object.fromEntries(Object.entries(input).filter(([key, value]) => key !== "branchId" && key !== "addressId" && value !== undefined)) as Partial<typeof input>;
    if (Object.keys(changes).length === 0) throw new ValidationError({ "": ["give at least one field to change"] });
    if (changes.isDefault) await clearOtherDefaults(ctx.tx, orgId, branch.id, address.id);
    const [row] = await ctx.tx.update(branchAddresses).set({ ...changes, updatedAt: sql`now()` }).where(eq(branchAddresses.id, address.id)).returning();
    return { result: row!, target: { type: "branch_address", id: address.id }, branchId: branch.id, metadata: { before: describeAddress(address), after: describeAddress(row!) } };
  },
});
