import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeRedirectPath } from "@/lib/core/action-result";
import { loadViewer } from "../load-viewer";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

// Set by the reset and invitation pages after they finished (never free text from the URL).
const NOTICES: Record<string, string> = {
  "password-reset": "Your password was changed and you were signed out everywhere. Sign in with the new password.",
  "invitation-accepted": "Invitation accepted. Sign in to continue.",
  "sso-not-found": "No single sign-on is set up for that email's domain. Sign in with your password, or ask your administrator.",
  "org-session-ended": "An administrator of that organization ended your session there. Sign in again to continue; your other organizations are not affected.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; notice?: string }> }) {
  const { callbackUrl, notice } = await searchParams;
  const noticeText = typeof notice === "string" && Object.hasOwn(NOTICES, notice) ? NOTICES[notice] : null;
  const next = safeRedirectPath(callbackUrl);
  // Still signed in, but the org in `next` wants a fresh sign-in: show the form instead of bouncing back.
  if (notice !== "org-session-ended" && (await loadViewer())) redirect(next);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-sm font-semibold tracking-wide text-brand-700 uppercase">Countersign</p>
        <h1 className="mt-1 text-2xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">Use your work email and password.</p>
        {noticeText ? (
          <p role="status" className="mt-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {noticeText}
          </p>
        ) : null}
        <SignInForm callbackUrl={next} />
        {/* Home-realm discovery: the email's verified domain picks the org's connection (app/sso/start). */}
        <form action="/sso/start" method="get" className="mt-6 space-y-2 border-t border-slate-200 pt-4">
          <label htmlFor="sso-email" className="block text-sm font-medium">
            Or sign in with your organization&apos;s single sign-on
          </label>
          <input id="sso-email" name="email" type="email" required autoComplete="username" placeholder="you@company.com" className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
          <input type="hidden" name="returnTo" value={next} />
          <button type="submit" className="w-full rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50">
            Continue with SSO
          </button>
        </form>
        <p className="mt-4 text-sm">
          <Link href="/forgot-password" className="text-brand-700 underline">
            Forgot your password?
          </Link>
        </p>
      </div>
    </main>
  );
}
