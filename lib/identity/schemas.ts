import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .max(254, "must be at most 254 characters")
  .pipe(z.email({ message: "must be a valid email address" }));

// Length only: no composition rules (NIST SP 800-63B). Compared exactly as typed, Unicode included.
export const newPasswordSchema = z.string().min(8, "must be at least 8 characters").max(1024, "must be at most 1024 characters");

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "is required").max(1024, "must be at most 1024 characters"),
});
export type SignInInput = z.infer<typeof signInSchema>;
