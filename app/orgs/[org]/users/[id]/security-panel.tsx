import type { MemberDetail } from "@/lib/identity/get-member";
import type { AccountSecurity, MemberSecurity } from "@/lib/identity/member-security";
import { formatDateTime } from "@/components/format";
import { deactivateMemberAction, reactivateMemberAction, resendInvitationAction, revokeMemberSessionsAction, sendPasswordResetAction, unblockSecondFactorAction } from "./security-actions";
import { SecurityActionButton } from "@/components/access/security-action-button";

const STATUS_TEXT: Record<MemberSecurity["status"], string> = {
  active: "Active: can sign in.",
  invited: "Invited: has not accepted the invitation yet, so cannot act here.",
  deactivated: "Deactivated: cannot sign in or use API tokens here.",
};

/**
 * "Sign-in and security" on a member's page. Within this org an administrator can end the
 * member's sessions here, resend an invitation and (de)activate. The person's sessions
 * elsewhere, password and second-factor block are theirs: only an org that owns the account (a
 * verified email domain) sees and acts on them. Nobody here ever sets a password.
 */
export function SecurityPanel({ org, member, security }: { org: string; member: MemberDetail; security: MemberSecurity }) {
  const id = member.membershipId;
  const account = security.account;
  return (
    <section aria-labelledby="security-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="security-heading" className="text-lg font-medium">
        Sign-in and security
      </h2>
      <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-medium text-slate-700">Status</dt>
        <dd data-testid="member-status">{STATUS_TEXT[security.status]}</dd>
        {security.sessionsEndedAt ? (
          <>
            <dt className="font-medium text-slate-700">Sessions here</dt>
            <dd data-testid="member-sessions-ended">Ended <time dateTime={security.sessionsEndedAt}>{formatDateTime(security.sessionsEndedAt)}</time>: sessions begun before then are not accepted in this organization.</dd>
          </>
        ) : null}
        {account ? <AccountFacts account={account} /> : null}
      </dl>
      {!security.canManage ? (
        <p className="text-sm text-slate-600">{security.reason}</p>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            {account
              ? "This organization owns the account. Administrators never set another person’s password: a reset sends them a link to choose their own. Every change here is recorded in the audit trail."
              : "Their password, second factor and sessions in other organizations belong to them, not to this organization. If they are locked out, they use “Forgot password” on the sign-in page. Every change here is recorded in the audit trail."}
          </p>
          <div className="grid gap-3 sm:grid-cols-2">
            {security.status === "invited" ? (
              <SecurityActionButton key="mail" action={resendInvitationAction.bind(null, org, id)} label="Resend invitation" pendingLabel="Sending…" />
            ) : account && security.status === "active" ? (
              <SecurityActionButton key="mail" action={sendPasswordResetAction.bind(null, org, id)} label="Send password reset" pendingLabel="Sending…" />
            ) : null}
            <SecurityActionButton
              key="sessions"
              action={revokeMemberSessionsAction.bind(null, org, id, "organization")}
              label="End sessions here"
              pendingLabel="Ending sessions…"
              confirm={{ question: `Sign ${member.email} out of this organization? ${member.isSelf ? "This includes you, here." : "They sign in again to continue here; their other organizations are not affected."}`, yes: "Yes, end sessions here" }}
            />
            {account ? (
              <SecurityActionButton
                key="sessions-everywhere"
                action={revokeMemberSessionsAction.bind(null, org, id, "everywhere")}
                label="End all sessions everywhere"
                pendingLabel="Ending sessions…"
                confirm={{ question: `Sign ${member.email} out of every organization (${openSessions(account)})? ${member.isSelf ? "This includes you, here." : ""}`, yes: "Yes, end all sessions" }}
              />
            ) : null}
            {account && !member.isSelf ? (
              // Always mounted, so the confirmation stays on screen once the count is gone.
              <SecurityActionButton
                key="mfa-block"
                resultOnly={account.secondFactorFailures === 0}
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
                confirm={{ question: `Deactivate ${member.email}? They are signed out of this organization at once and their API tokens here are revoked.`, yes: "Yes, deactivate" }}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}

const openSessions = (account: AccountSecurity) => `${account.openSessions} open session${account.openSessions === 1 ? "" : "s"}`;

/** What only an org that owns the account sees: the person's sessions and second-factor count. */
function AccountFacts({ account }: { account: AccountSecurity }) {
  return (
    <>
      <dt className="font-medium text-slate-700">Sessions</dt>
      <dd data-testid="member-sessions">{openSessions(account)}, in every organization</dd>
      {account.secondFactorFailures > 0 ? (
        <>
          <dt className="font-medium text-slate-700">Second factor</dt>
          <dd data-testid="member-second-factor" className={account.secondFactorBlocked ? "font-medium text-red-800" : undefined}>
            {account.secondFactorBlocked
              ? `Blocked after ${account.secondFactorFailures} wrong codes in a row: they cannot finish signing in until it is cleared.`
              : `${account.secondFactorFailures} wrong code${account.secondFactorFailures === 1 ? "" : "s"} in a row; each further one makes them wait longer.`}
          </dd>
        </>
      ) : null}
    </>
  );
}
