import { z } from "zod";

/**
 * The change-password form's browser-side checks (zod only, safe in the browser). The command
 * checks the full policy (common passwords, email, name) and the current password on the server.
 * Length counts Unicode code points, as the server does.
 */
export const changePasswordFormSchema = z
  .object({
    currentPassword: z.string().min(1, "is required"),
    newPassword: z
      .string()
      .min(1, "is required")
      .refine((p) => [...p].length >= 8, "must be at least 8 characters")
      .refine((p) => [...p].length <= 1024, "must be at most 1024 characters"),
    confirmPassword: z.string().min(1, "is required"),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "must match the new password" });
export type ChangePasswordForm = z.infer<typeof changePasswordFormSchema>;
