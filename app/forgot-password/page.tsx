import Link from "next/link";
import type { Metadata } from "next";
import { AuthCard } from "../auth-card";
import { requestPasswordResetAction } from "./actions";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <AuthCard title="Forgot your password?" intro="Enter the email you sign in with. If it belongs to an account, we email a link to choose a new password.">
      <ForgotPasswordForm action={requestPasswordResetAction} />
      <p className="mt-6 text-sm">
        <Link href="/sign-in" className="text-brand-700 underline">
          Back to sign in
        </Link>
      </p>
    </AuthCard>
  );
}
