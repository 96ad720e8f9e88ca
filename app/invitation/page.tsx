import type { Metadata } from "next";
import { INVALID_INVITATION_LINK } from "@/lib/identity/accept-invitation";
import { findInvitation } from "@/lib/identity/find-one-time-link";
import { AuthCard } from "../auth-card";
import { acceptInvitationAction } from "./actions";
import { AcceptInvitationForm, JoinWithExistingAccount } from "./accept-invitation-form";

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
  return (
    <AuthCard
      title={`Join ${invitation.orgName}`}
      intro={
        <>
          This invitation is for <strong>{invitation.email}</strong>.
          {invitation.hasPassword ? " You already have a Countersign account: accept, then sign in with your current password." : " Choose your name and a password to finish setting up your account."}
        </>
      }
    >
      {invitation.hasPassword ? <JoinWithExistingAccount action={action} /> : <AcceptInvitationForm action={action} defaultName={invitation.name} />}
    </AuthCard>
  );
}
