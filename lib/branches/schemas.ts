import { z } from "zod";

export const createBranchSchema = z.object({
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"),
  parentId: z.uuid({ message: "must be a branch id" }).nullish(),
});
