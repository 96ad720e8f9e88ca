import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ message: "must be a valid email address" }));

// Length only: no composition rules (NIST SP 800-63B). Compared exactly as typed, Unicode included.
export const newPasswordSchema = z.string().min(8, "must be at least 8 characters").max(1024, "must be at most 1024 characters");

export const createMemberSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters").optional(),
  password: newPasswordSchema.optional(),
  roleName: z.string().trim().min(1, "is required").max(60).default("Buyer"),
  branchId: z.uuid({ message: "must be a branch id" }).nullish(),
});
export type CreateMemberInput = z.infer<typeof createMemberSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "is required").max(1024, "must be at most 1024 characters"),
});
export type SignInInput = z.infer<typeof signInSchema>;
