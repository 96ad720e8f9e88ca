import Link from "next/link";
import type { Metadata } from "next";
import { INVALID_RESET_LINK } from "@/lib/identity/complete-password-reset";
import { isResetLinkLive } from "@/lib/identity/find-one-time-link";
import { AuthCard } from "../auth-card";
import { completePasswordResetAction } from "./actions";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const live = typeof token === "string" && (await isResetLinkLive(token));
  if (!live) {
    return (
      <AuthCard title="Reset link not valid">
        <p role="alert" className="mt-4 text-sm text-slate-700">
          {INVALID_RESET_LINK}
        </p>
        <p className="mt-6 text-sm">
          <Link href="/forgot-password" className="text-brand-700 underline">
            Ask for a new reset link
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" intro="After this, every place you are signed in is signed out, and you sign in again with the new password (and your second factor, if you use one).">
      <ResetPasswordForm action={completePasswordResetAction.bind(null, token)} />
      <p className="mt-6 text-sm">
        <Link href="/forgot-password" className="text-brand-700 underline">
          Ask for a new reset link
        </Link>
      </p>
    </AuthCard>
  );
}
