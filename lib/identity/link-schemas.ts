import { z } from "zod";
import { emailSchema } from "./schemas";

/**
 * Schemas for the reset and invitation forms, safe to import in the browser (zod only). The
 * server checks the full password policy (common passwords, email, name) in the commands; the
 * browser checks what it can without the word list.
 */
export const passwordResetRequestSchema = z.object({ email: emailSchema });

const newPassword = z.string().min(1, "is required").refine((p) => [...p].length >= 8, "must be at least 8 characters").refine((p) => [...p].length <= 1024, "must be at most 1024 characters");

export const newPasswordFormSchema = z
  .object({ password: newPassword, confirm: z.string().min(1, "is required") })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "must match the new password" });
export type NewPasswordForm = z.infer<typeof newPasswordFormSchema>;

export const acceptInvitationFormSchema = z
  .object({ name: z.string().trim().min(1, "is required").max(120, "must be at most 120 characters"), password: newPassword, confirm: z.string().min(1, "is required") })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "must match the password" });
export type AcceptInvitationForm = z.infer<typeof acceptInvitationFormSchema>;
