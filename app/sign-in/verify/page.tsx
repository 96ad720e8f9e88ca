import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@/lib/core/action-result";
import { signOutAction } from "../../sign-out-action";
import { loadSession, pendingSignInPath } from "../../load-viewer";
import { listOwnMfaFactors } from "@/lib/identity/mfa-policy";
import { SecondFactorForm } from "../../account/second-factor-form";

export const metadata: Metadata = { title: "Two-step verification" };

/** The second step of signing in, for a session whose password step passed. */
export default async function VerifySignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const next = safeRedirectPath((await searchParams).callbackUrl);
  const viewer = await loadSession();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(next)}`);
  if (viewer.pending !== "mfa") redirect(viewer.pending ? pendingSignInPath(viewer.pending, next) : next);
  const factors = await listOwnMfaFactors(viewer.userId);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-brand-700 uppercase">Countersign</p>
        <h1 className="mt-1 text-2xl font-semibold">Two-step verification</h1>
        <p className="mt-1 text-sm text-slate-600">Signing in as {viewer.email}. Confirm it is you with your second factor.</p>
        <SecondFactorForm callbackUrl={next} hasTotp={factors.totp} hasPasskeys={factors.passkeys > 0} />
        <form action={signOutAction} className="mt-4 border-t border-slate-200 pt-4">
          <button type="submit" className="text-sm text-slate-600 underline">
            Cancel and sign out
          </button>
        </form>
      </div>
    </main>
  );
}
