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

/** The REST PATCH: a new name, a new parent (null: the top of the tree), or both. */
export const updateBranchSchema = z
  .strictObject({
    branchId: z.uuid({ message: "must be a branch id" }),
    name: renameBranchSchema.shape.name.optional(),
    parentId: moveBranchSchema.shape.newParentId.optional(),
  })
  .refine((b) => b.name !== undefined || b.parentId !== undefined, { message: "give name and/or parentId", path: ["body"] });

export const deleteBranchSchema = z.object({
  branchId: z.uuid({ message: "must be a branch of this organization" }),
});
