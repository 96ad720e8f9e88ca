import { randomUUID } from "node:crypto";
import { branches } from "@/db/schema";
import { lockOrg } from "@/lib/core/advisory-lock";
import { defineCommand, notFound } from "@/lib/core/command";
import { assertUniqueSiblingName } from "./assert-unique-sibling-name";
import { findBranch } from "./find-branch";
import { createBranchSchema } from "./schemas";

/** Adds a branch under a parent (or at the top of the tree); needs branches:manage there. */
export const createBranchCommand = defineCommand({
  name: "branch.created",
  description: "A branch was added to the organization's tree, under a parent or at the top.",
  access: { permission: "branches:manage" },
  input: createBranchSchema,
  async run({ tx, principal, authorize }, input) {
    const orgId = principal.org?.id ?? notFound("Organization");
    // The parent's path must not change under us (a move would leave the child on a stale path).
    await lockOrg(tx, orgId, "tree");
    const parent = input.parentId ? ((await findBranch(tx, orgId, input.parentId)) ?? notFound("Parent branch")) : null;
    authorize("branches:manage", parent?.path ?? "");
    await assertUniqueSiblingName(tx, orgId, parent?.id ?? null, input.name);
    const id = randomUUID();
    const path = `${parent?.path ?? "/"}${id}/`;
    const [row] = await tx.insert(branches).values({ id, orgId, parentId: parent?.id ?? null, name: input.name, path }).returning();
    return { result: row!, target: { type: "branch", id, label: input.name }, branchId: id, metadata: { after: { name: input.name, parentId: parent?.id ?? null } } };
  },
});
