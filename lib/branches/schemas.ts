import { z } from "zod";

export const createBranchSchema = z.object({
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  parentId: z.uuid({ message: "must be a branch id" }).nullish(),
});

export const renameBranchSchema = z.object({
  branchId: z.uuid({ message: "must be a branch id" }),
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
});

export const moveBranchSchema = z.object({
  branchId: z.uuid({ message: "must be a branch id" }),
  /** null moves the branch to the top of the tree. */
  newParentId: z.uuid({ message: "must be a branch id" }).nullable(),
});
