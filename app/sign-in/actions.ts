"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import type { ActionResult } from "@/lib/core/action-result";
import { safeRedirectPath } from "@/lib/core/action-result";
import { signIn } from "@/lib/identity/auth";
import { signInSchema } from "@/lib/identity/schemas";
import { fieldErrorsFromIssues } from "@/lib/core/input-rules";
import { describeFieldErrorsForPeople, plainIssueMessage } from "@/lib/core/plain-messages";

/**
 * Signs in through next-auth's Credentials provider, which runs the audited sign-in command.
 * The submitted password is never echoed back in the returned state.
 */
export async function signInAction(_prev: ActionResult | null, formData: FormData): Promise<ActionResult> {
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") }, { error: plainIssueMessage });
  if (!parsed.success) {
    return { ok: false, error: "Check the highlighted fields.", fieldErrors: describeFieldErrorsForPeople(fieldErrorsFromIssues(parsed.error.issues)) };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeRedirectPath(formData.get("callbackUrl")) });
    return { ok: true, data: null };
  } catch (error) {
    // A successful sign-in "throws" Next's redirect; only next-auth's own errors mean failure.
    // Throttling is the one failure with its own message (how long to wait); it is keyed by the
    // email as typed, so it reads the same for an account that does not exist.
    if (error instanceof CredentialsSignin && error.code !== "credentials") return { ok: false, error: error.code };
    if (error instanceof AuthError) return { ok: false, error: "Incorrect email or password." };
    throw error;
  }
}
