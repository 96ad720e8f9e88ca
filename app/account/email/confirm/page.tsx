import Link from "next/link";
import type { Metadata } from "next";
import { INVALID_EMAIL_CHANGE_LINK } from "@/lib/identity/confirm-email-change";
import { findEmailChange } from "@/lib/identity/find-one-time-link";
import { AuthCard } from "../../../auth-card";
import { confirmEmailChangeAction } from "./actions";
import { ConfirmEmailButton } from "./confirm-email-button";

export const metadata: Metadata = { title: "Confirm your new email" };

/** Where the link mailed to a new address lands; it works signed in or not, in any browser. */
export default async function ConfirmEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const change = typeof token === "string" ? await findEmailChange(token) : null;
  if (!change || typeof token !== "string") {
    return (
      <AuthCard title="Link not valid">
        <p role="alert" className="mt-4 text-sm text-slate-700">
          {INVALID_EMAIL_CHANGE_LINK}
        </p>
        <p className="mt-6 text-sm">
          <Link href="/account/security" className="text-brand-700 underline">
            Go to your Security page
          </Link>
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Confirm your new email" intro={`${change.newEmail} becomes the email you sign in with. Your current address is told about the change.`}>
      <ConfirmEmailButton action={confirmEmailChangeAction.bind(null, token)} newEmail={change.newEmail} />
    </AuthCard>
  );
}
