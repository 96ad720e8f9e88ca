import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@/lib/core/action-result";
import { signOutAction } from "../../../sign-out-action";
import { hasSteppedUp } from "@/lib/core/step-up";
import { hasSecondFactor } from "@/lib/identity/mfa-policy";
import { accountPrincipal, currentPath, loadSession, pendingSignInPath } from "../../../load-viewer";
import { stepUpPath } from "../../step-up-path";
import { listOwnMfaFactors } from "@/lib/identity/mfa-policy";
import { describeMfaRequirement, readMfaRequirement } from "@/lib/identity/mfa-requirement";
import { PasswordStepUpForm } from "../../password-step-up-form";
import { TotpEnrollment } from "./totp-enrollment";

export const metadata: Metadata = { title: "Set up two-step verification" };

/**
 * Setting up an authenticator app. A person whose role requires MFA lands here right after the
 * password step, before anything else; others come from the Security page.
 */
export default async function EnrollPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const requested = (await searchParams).callbackUrl;
  const viewer = await loadSession();
  if (!viewer) redirect(`/sign-in?callbackUrl=${encodeURIComponent(await currentPath())}`);
  if (viewer.pending === "mfa") redirect(pendingSignInPath("mfa", await currentPath()));
  const forced = viewer.pending === "enrollment";
  const next = safeRedirectPath(requested, forced ? "/" : "/account/security");
  // Already set up: the page says so and offers the way on, rather than a silent redirect.
  const factors = await listOwnMfaFactors(viewer.userId);
  // Changing factors needs an MFA check once a factor exists, else a fresh sign-in. The forced
  // enrollment usually comes right after one; when MFA became due long after the sign-in, the
  // password is asked again here first (a pending session has no other page to do it on).
  const stepUp = hasSecondFactor(factors) ? "mfa" : "recent-auth";
  const steppedUp = hasSteppedUp(accountPrincipal(viewer), stepUp);
  if (!forced && !factors.totp && !steppedUp) redirect(stepUpPath(await currentPath()));
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-brand-700 uppercase">Countersign</p>
        <h1 className="mt-1 text-2xl font-semibold">Set up two-step verification</h1>
        {forced ? (
          <p className="mt-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status">
            {describeMfaRequirement(await readMfaRequirement(viewer.userId))} Set up an authenticator app to continue.
          </p>
        ) : null}
        {forced && !steppedUp ? (
          <>
            <p className="mt-4 text-sm text-slate-600">You signed in a while ago. Confirm your password to set it up.</p>
            <PasswordStepUpForm callbackUrl={await currentPath()} />
          </>
        ) : (
          <TotpEnrollment next={next} alreadyEnrolled={factors.totp} />
        )}
        {forced ? (
          <form action={signOutAction} className="mt-4 border-t border-slate-200 pt-4">
            <button type="submit" className="text-sm text-slate-600 underline">
              Cancel and sign out
            </button>
          </form>
        ) : null}
      </div>
    </main>
  );
}
