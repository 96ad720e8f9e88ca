import { defineCommand } from "@/lib/core/command";
import { changeBranch } from "./update-branch";
import { renameBranchSchema } from "./schemas";

/** Renames a branch; needs branches:manage at it. */
export const renameBranchCommand = defineCommand({
  name: "branch.renamed",
  description: "A branch was renamed.",
  access: { permission: "branches:manage" },
  input: renameBranchSchema,
  async run(ctx, input) {
    const changed = await changeBranch(ctx, input.branchId, { name: input.name });
    return { result: { id: changed.id }, target: { type: "branch", id: changed.id, label: changed.after.name }, branchId: changed.id, metadata: { before: { name: changed.before.name }, after: { name: changed.after.name } } };
  },
});
