import { z } from "zod";
import { emailSchema, newPasswordSchema } from "@/lib/identity/schemas";

/**
 * The add-member form's fields, built from the identity schemas. createMemberSchema itself lives
 * in lib/identity/create-member.ts next to database code a browser bundle cannot load; the
 * server still validates with it.
 */
export const addMemberFormSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters").optional(),
  password: newPasswordSchema.optional(),
  roleName: z.string().trim().min(1, "is required").max(60),
  branchId: z.uuid({ message: "must be a branch id" }).nullish(),
});
