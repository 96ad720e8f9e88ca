import { and, eq, sql } from "drizzle-orm";
import { branches } from "@/db/schema";
import { checkBranchMove } from "@/lib/access/delegation";
import { pathInSubtree } from "@/lib/access/scope-condition";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound, type CommandContext } from "@/lib/core/command";
import { ForbiddenError, ValidationError } from "@/lib/core/errors";
import { assertUniqueSiblingName } from "./assert-unique-sibling-name";
import { findBranch } from "./find-branch";
import { updateBranchSchema } from "./schemas";

/**
 * PATCH /api/v1/branches/{id}: a rename and/or a move in one transaction, so a refused move
 * leaves the name as it was, and one audit event holds both. The dashboard and the CLI rename
 * and move with branch.renamed and branch.moved, which run the same changeBranch below.
 */
export const updateBranchCommand = defineCommand({
  name: "branch.updated",
  description: "A branch was renamed and/or moved (with its whole subtree) in one request: name and parent before and after, and how many branches moved, in the metadata.",
  access: { permission: "branches:manage" },
  input: updateBranchSchema,
  async run(ctx, input) {
    const changed = await changeBranch(ctx, input.branchId, { name: input.name, newParentId: input.parentId }, "parentId");
    return {
      result: { id: changed.id, branchesMoved: changed.branchesMoved },
      target: { type: "branch", id: changed.id },
      branchId: changed.id,
      metadata: { before: changed.before, after: changed.after, branchesMoved: changed.branchesMoved },
    };
  },
});

export interface BranchChange {
  name?: string | undefined;
  /** null is the top of the tree; undefined leaves the branch where it is. */
  newParentId?: string | null | undefined;
}

export interface BranchChanged {
  id: string;
  before: { name: string; parentId: string | null };
  after: { name: string; parentId: string | null };
  branchesMoved: number;
}

/**
 * Renames and/or moves one branch, inside the calling command's transaction: the one body behind
 * branch.renamed, branch.moved and branch.updated. Needs branches:manage where the branch is and,
 * for a move, where it goes; the name is checked once, where the branch ends up, as it ends up.
 * `parentField` names the input field in errors (newParentId, or the REST body's parentId).
 */
export async function changeBranch(ctx: CommandContext, branchId: string, change: BranchChange, parentField = "newParentId"): Promise<BranchChanged> {
  const { tx, principal, authorize } = ctx;
  const orgId = principal.org?.id ?? notFound("Organization");
  const moving = change.newParentId !== undefined;
  // Moves take turns: two crossed moves (A under B, B under A) each pass the "not under itself"
  // check on paths the other is about to change, and together make a cycle.
  if (moving) await lockOrg(tx, orgId, "tree");
  const branch = (await findBranch(tx, orgId, branchId)) ?? notFound("Branch");
  authorize("branches:manage", branch.path);
  let parentId = branch.parentId;
  let newPath: string | null = null;
  if (moving) {
    const target = change.newParentId ? ((await findBranch(tx, orgId, change.newParentId)) ?? notFound("New parent branch")) : null;
    authorize("branches:manage", target?.path ?? "");
    if (target && target.path.startsWith(branch.path)) throw new ValidationError({ [parentField]: ["cannot be the branch itself or one of its descendants"] });
    // The subtree falls under every grant above its new parent: the mover's own grants there
    // must give them nothing over it that they lack now.
    const check = checkBranchMove(principal.access, { branchPath: branch.path, newParentPath: target?.path ?? "" });
    if (!check.ok) throw new ForbiddenError(check.reason, "branches:manage");
    parentId = target?.id ?? null;
    newPath = `${target?.path ?? "/"}${branch.id}/`;
  }
  const name = change.name ?? branch.name;
  await assertUniqueSiblingName(tx, orgId, parentId, name, branch.id);
  if (change.name !== undefined) await tx.update(branches).set({ name }).where(eq(branches.id, branch.id));
  let branchesMoved = 0;
  if (newPath) {
    // One UPDATE rewrites the subtree's paths; grants point at branch ids, so the access that
    // follows from them moves too.
    const moved = await tx
      .update(branches)
      .set({ path: sql`${newPath} || substr(${branches.path}, ${branch.path.length + 1})` })
      .where(and(eq(branches.orgId, orgId), pathInSubtree(branches.path, branch.path)))
      .returning({ id: branches.id });
    await tx.update(branches).set({ parentId }).where(eq(branches.id, branch.id));
    branchesMoved = moved.length;
  }
  return { id: branch.id, before: { name: branch.name, parentId: branch.parentId }, after: { name, parentId }, branchesMoved };
}
