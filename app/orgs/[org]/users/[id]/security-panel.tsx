import type { MemberDetail } from "@/lib/identity/get-member";
import type { MemberSecurity } from "@/lib/identity/member-security";
import { deactivateMemberAction, reactivateMemberAction, resendInvitationAction, revokeMemberSessionsAction, sendPasswordResetAction, unblockSecondFactorAction } from "./security-actions";
import { SecurityActionButton } from "./security-action-button";

const STATUS_TEXT: Record<MemberSecurity["status"], string> = {
  active: "Active: can sign in.",
  invited: "Invited: has not accepted the invitation yet, so cannot sign in.",
  deactivated: "Deactivated: cannot sign in or use API tokens here.",
};

/**
 * "Sign-in and security" on a member's page. An administrator can start a reset (the member
 * chooses the password), resend an invitation, end sessions and (de)activate; never set a password.
 */
export function SecurityPanel({ org, member, security }: { org: string; member: MemberDetail; security: MemberSecurity }) {
  const id = member.membershipId;
  const sessions = `${security.openSessions} open session${security.openSessions === 1 ? "" : "s"}`;
  return (
    <section aria-labelledby="security-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="security-heading" className="text-lg font-medium">
        Sign-in and security
      </h2>
      <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-medium text-slate-700">Status</dt>
        <dd data-testid="member-status">{STATUS_TEXT[security.status]}</dd>
        <dt className="font-medium text-slate-700">Sessions</dt>
        <dd data-testid="member-sessions">{sessions}</dd>
        {security.secondFactorFailures > 0 ? (
          <>
            <dt className="font-medium text-slate-700">Second factor</dt>
            <dd data-testid="member-second-factor" className={security.secondFactorBlocked ? "font-medium text-red-800" : undefined}>
              {security.secondFactorBlocked
                ? `Blocked after ${security.secondFactorFailures} wrong codes in a row: they cannot finish signing in until it is cleared.`
                : `${security.secondFactorFailures} wrong code${security.secondFactorFailures === 1 ? "" : "s"} in a row; each further one makes them wait longer.`}
            </dd>
          </>
        ) : null}
      </dl>
      {!security.canManage ? (
        <p className="text-sm text-slate-600">{security.reason}</p>
      ) : (
        <>
          <p className="text-sm text-slate-600">Administrators never set another person’s password: a reset sends them a link to choose their own, and every change here is recorded in the audit trail.</p>
          <div className="grid gap-3 sm:grid-cols-2">
            {security.status === "active" ? (
              <SecurityActionButton key="mail" action={sendPasswordResetAction.bind(null, org, id)} label="Send password reset" pendingLabel="Sending…" />
            ) : security.status === "invited" ? (
              <SecurityActionButton key="mail" action={resendInvitationAction.bind(null, org, id)} label="Resend invitation" pendingLabel="Sending…" />
            ) : null}
            <SecurityActionButton
              key="sessions"
              action={revokeMemberSessionsAction.bind(null, org, id)}
              label="End all sessions"
              pendingLabel="Ending sessions…"
              confirm={{ question: `Sign ${member.email} out everywhere (${sessions})? ${member.isSelf ? "This includes you, here." : "Sessions belong to the person, so this covers every organization they use."}`, yes: "Yes, end all sessions" }}
            />
            {!member.isSelf ? (
              // Always mounted, so the confirmation stays on screen once the count is gone.
              <SecurityActionButton
                key="mfa-block"
                resultOnly={security.secondFactorFailures === 0}
                action={unblockSecondFactorAction.bind(null, org, id)}
                label="Clear second-factor block"
                pendingLabel="Clearing…"
                confirm={{ question: `Clear ${member.email}’s failed second-factor attempts? Do this only once you know it is really them asking: the block stops someone who has their password from guessing codes.`, yes: "Yes, clear the block" }}
              />
            ) : null}
            {member.isSelf ? (
              <p className="text-sm text-slate-600">You cannot deactivate yourself; ask another administrator.</p>
            ) : security.status === "deactivated" ? (
              <SecurityActionButton
                key="activation"
                action={reactivateMemberAction.bind(null, org, id)}
                label="Reactivate"
                pendingLabel="Reactivating…"
                confirm={{ question: `Let ${member.email} back in with the grants they still hold? Ended sessions and revoked API tokens stay ended.`, yes: "Yes, reactivate" }}
              />
            ) : (
              <SecurityActionButton
                key="activation"
                action={deactivateMemberAction.bind(null, org, id)}
                label="Deactivate"
                pendingLabel="Deactivating…"
                confirm={{ question: `Deactivate ${member.email}? They are signed out at once and their API tokens here are revoked.`, yes: "Yes, deactivate" }}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}
