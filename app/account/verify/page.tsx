import type { Metadata } from "next";
import Link from "next/link";
import { safeRedirectPath } from "@/lib/core/action-result";
import { requireViewer } from "../../load-viewer";
import { listOwnMfaFactors } from "@/lib/identity/mfa-policy";
import { PasswordStepUpForm } from "../password-step-up-form";
import { SecondFactorForm } from "../second-factor-form";

export const metadata: Metadata = { title: "Confirm it is you" };

/**
 * Step-up: before a sensitive action, the person proves it is them again (a second factor, or
 * their password when they have none), gets a new session id, and goes back to what they were doing.
 */
export default async function StepUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const next = safeRedirectPath((await searchParams).callbackUrl);
  const viewer = await requireViewer();
  const factors = await listOwnMfaFactors(viewer.userId);
  const hasFactor = factors.totp || factors.passkeys > 0;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-brand-700 uppercase">Countersign</p>
        <h1 className="mt-1 text-2xl font-semibold">Confirm it is you</h1>
        <p className="mt-1 text-sm text-slate-600">
          {hasFactor ? "This action needs a recent check of your second factor." : "This action needs you to confirm your password."}
        </p>
        {hasFactor ? <SecondFactorForm callbackUrl={next} hasTotp={factors.totp} hasPasskeys={factors.passkeys > 0} /> : <PasswordStepUpForm callbackUrl={next} />}
        {!hasFactor ? (
          <p className="mt-4 text-sm text-slate-600">
            Some actions (granting admin roles, exporting the audit trail) need two-step verification:{" "}
            <Link className="text-brand-700 underline" href={`/account/security/enroll?callbackUrl=${encodeURIComponent(next)}`}>
              set it up
            </Link>
            .
          </p>
        ) : null}
        <p className="mt-4 text-sm">
          <Link className="text-slate-600 underline" href={next}>
            Cancel
          </Link>
        </p>
      </div>
    </main>
  );
}
