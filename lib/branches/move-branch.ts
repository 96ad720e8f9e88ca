import { and, eq, sql } from "drizzle-orm";
import { branches } from "@/db/schema";
import { pathInSubtree } from "@/lib/access/scope-condition";
import { lockOrg } from "@/lib/core/advisory-lock";
import { checkBranchMove } from "@/lib/access/delegation";
import { defineCommand, notFound } from "@/lib/core/command";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { assertUniqueSiblingName } from "./assert-unique-sibling-name";
import { findBranch } from "./find-branch";
import { moveBranchSchema } from "./schemas";

/**
 * Moves a branch, with its whole subtree, under another parent. One UPDATE rewrites the paths
 * of the subtree; grants point at branch ids, so the access that follows from them moves too.
 * Needs branches:manage both where the branch is and where it goes, and never gives the mover
 * more over the subtree than they hold there now (docs/adr/0007).
 */
export const moveBranchCommand = defineCommand({
  name: "branch.moved",
  description: "A branch was moved, with its whole subtree, under another parent.",
  access: { permission: "branches:manage" },
  input: moveBranchSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    // Moves take turns: two crossed moves (A under B, B under A) each pass the "not under itself"
    // check on paths the other is about to change, and together make a cycle.
    await lockOrg(tx, orgId, "tree");
    const branch = (await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch");
    const parent = input.newParentId ? ((await findBranch(tx, orgId, input.newParentId)) ?? notFound("New parent branch")) : null;
    authorize("branches:manage", branch.path);
    authorize("branches:manage", parent?.path ?? "");
    if (parent && parent.path.startsWith(branch.path)) throw new ValidationError({ newParentId: ["cannot be the branch itself or one of its descendants"] });
    // The subtree falls under every grant above its new parent: the mover's own grants there
    // must give them nothing over it that they lack now.
    const check = checkBranchMove(principal.access, { branchPath: branch.path, newParentPath: parent?.path ?? "" });
    if (!check.ok) throw new ForbiddenError(check.reason, "branches:manage");
    await assertUniqueSiblingName(tx, orgId, parent?.id ?? null, branch.name, branch.id);
    const oldPrefix = branch.path;
    const newPrefix = `${parent?.path ?? "/"}${branch.id}/`;
    const moved = await tx
      .update(branches)
      .set({ path: sql`${newPrefix} || substr(${branches.path}, ${oldPrefix.length + 1})` })
      .where(and(eq(branches.orgId, orgId), pathInSubtree(branches.path, oldPrefix)))
      .returning({ id: branches.id });
    await tx.update(branches).set({ parentId: parent?.id ?? null }).where(eq(branches.id, branch.id));
    return {
      result: { id: branch.id, branchesMoved: moved.length },
      target: { type: "branch", id: branch.id },
      branchId: branch.id,
      metadata: { before: { parentId: branch.parentId }, after: { parentId: parent?.id ?? null }, branchesMoved: moved.length },
    };
  },
});
