import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { INVALID_INVITATION_LINK } from "@/lib/identity/accept-invitation";
import { findInvitation } from "@/lib/identity/find-one-time-link";
import { Button } from "@/components/ui/button";
import { AuthCard } from "../auth-card";
import { loadSession, pendingSignInPath } from "../load-viewer";
import { acceptInvitationAction, signOutForInvitationAction } from "./actions";
import { AcceptInvitationForm, JoinWithExistingAccount } from "./accept-invitation-form";
import { invitationPath } from "./invitation-path";

export const metadata: Metadata = { title: "Invitation" };

export default async function InvitationPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  // Looked up by the hash of the link's secret, without using it up.
  const invitation = typeof token === "string" ? await findInvitation(token) : null;
  if (!invitation || typeof token !== "string") {
    return (
      <AuthCard title="Invitation not valid">
        <p role="alert" className="mt-4 text-sm text-slate-700">
          {INVALID_INVITATION_LINK}
        </p>
      </AuthCard>
    );
  }
  const action = acceptInvitationAction.bind(null, token);
  const title = `Join ${invitation.orgName}`;
  if (!invitation.hasPassword) {
    return (
      <AuthCard title={title} intro={<>This invitation is for <strong>{invitation.email}</strong>. Choose your name and a password to finish setting up your account.</>}>
        <AcceptInvitationForm action={action} defaultName={invitation.name} />
      </AuthCard>
    );
  }

  // An existing account joins only when its owner, signed in, says so (acceptInvitationCommand).
  const here = invitationPath(token);
  const session = await loadSession();
  if (session?.pending) redirect(pendingSignInPath(session.pending, here));
  if (!session) {
    return (
      <AuthCard title={title} intro={<>This invitation is for <strong>{invitation.email}</strong>, who already has a Countersign account. Sign in with that account to accept it; you come back here afterwards.</>}>
        <Link href={`/sign-in?callbackUrl=${encodeURIComponent(here)}`} className="mt-6 flex w-full items-center justify-center rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Sign in to accept
        </Link>
      </AuthCard>
    );
  }
  if (session.userId !== invitation.userId) {
    return (
      <AuthCard title={title} intro={<>You are signed in as <strong>{session.email}</strong>, but this invitation is for <strong>{invitation.email}</strong>. Sign out, then sign in as {invitation.email} to accept it.</>}>
        <form action={signOutForInvitationAction.bind(null, token)} className="mt-6">
          <Button type="submit" className="w-full">
            Sign out and switch account
          </Button>
        </form>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={title} intro={<>You are signed in as <strong>{invitation.email}</strong>. Accept to join {invitation.orgName} with this account; your password and sign-in stay as they are.</>}>
      <JoinWithExistingAccount action={action} />
    </AuthCard>
  );
}
