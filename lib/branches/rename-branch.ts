import { eq } from "drizzle-orm";
import { branches } from "@/db/schema";
import { defineCommand, notFound } from "@/lib/core/command";
import { assertUniqueSiblingName } from "./assert-unique-sibling-name";
import { findBranch } from "./find-branch";
import { renameBranchSchema } from "./schemas";

/** Renames a branch; needs branches:manage at it. */
export const renameBranchCommand = defineCommand({
  name: "branch.renamed",
  description: "A branch was renamed.",
  access: { permission: "branches:manage" },
  input: renameBranchSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    const branch = (await findBranch(tx, orgId, input.branchId)) ?? notFound("Branch");
    authorize("branches:manage", branch.path);
    await assertUniqueSiblingName(tx, orgId, branch.parentId, input.name, branch.id);
    await tx.update(branches).set({ name: input.name }).where(eq(branches.id, branch.id));
    return { result: { id: branch.id }, target: { type: "branch", id: branch.id }, branchId: branch.id, metadata: { before: { name: branch.name }, after: { name: input.name } } };
  },
});
