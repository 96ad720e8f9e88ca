import { defineCommand } from "@/lib/core/command";
import { changeBranch } from "./update-branch";
import { moveBranchSchema } from "./schemas";

/**
 * Moves a branch, with its whole subtree, under another parent (changeBranch). Needs
 * branches:manage both where the branch is and where it goes, and never gives the mover more
 * over the subtree than they hold there now (docs/adr/0007).
 */
export const moveBranchCommand = defineCommand({
  name: "branch.moved",
  description: "A branch was moved, with its whole subtree, under another parent.",
  access: { permission: "branches:manage" },
  input: moveBranchSchema,
  async run(ctx, input) {
    const changed = await changeBranch(ctx, input.branchId, { newParentId: input.newParentId });
    return {
      result: { id: changed.id, branchesMoved: changed.branchesMoved },
      target: { type: "branch", id: changed.id },
      branchId: changed.id,
      metadata: { before: { parentId: changed.before.parentId }, after: { parentId: changed.after.parentId }, branchesMoved: changed.branchesMoved },
    };
  },
});
