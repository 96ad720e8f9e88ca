import type { CommandTx } from "@/lib/core/command-tx";
import { and, count, eq, ne } from "drizzle-orm";
import { branchAddresses } from "@/db/schema";
import { defineCommand } from "@/lib/core/command";
import { ConflictError } from "@/lib/core/errors";
import { describeAddress, loadManagedBranch } from "./address-store";
import { addBranchAddressSchema } from "./schemas";

const MAX_ADDRESSES = 50;

/** Adds an address to a branch (branches:manage there); a default one replaces the previous default. */
export const addBranchAddressCommand = defineCommand({
  name: "branch.address.added",
  description: "An address (label, lines, city, region, postal code, country, ship-to and default flags) was added to a branch.",
  access: { permission: "branches:manage" },
  input: addBranchAddressSchema,
  async run(ctx, input) {
    const { orgId, branch } = await loadManagedBranch(ctx, input.branchId);
    const [{ n } = { n: 0 }] = await ctx.tx.select({ n: count() }).from(branchAddresses).where(and(eq(branchAddresses.orgId, orgId), eq(branchAddresses.branchId, branch.id)));
    if (n >= MAX_ADDRESSES) throw new ConflictError(`${branch.name} already has ${MAX_ADDRESSES} addresses; remove one first.`);
    const fields = { ...input, branchId: branch.id };
    if (fields.isDefault) await clearOtherDefaults(ctx.tx, orgId, branch.id);
    const [row] = await ctx.tx.insert(branchAddresses).values({ ...fields, orgId }).returning();
    return { result: row!, target: { type: "branch_address", id: row!.id }, branchId: branch.id, metadata: { after: describeAddress(row!) } };
  },
});

/** A new default takes over from the branch's previous one, in the same transaction. */
export async function clearOtherDefaults(tx: CommandTx, orgId: string, branchId: string, exceptId?: string): Promise<void> {
  await tx
    .update(branchAddresses)
    .set({ isDefault: false })
    .where(and(eq(branchAddresses.orgId, orgId), eq(branchAddresses.branchId, branchId), eq(branchAddresses.isDefault, true), exceptId ? ne(branchAddresses.id, exceptId) : undefined));
}
