"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { reactivateMemberCommand } from "@/lib/identity/reactivate-member";
import type { PendingMail } from "@/lib/identity/request-password-reset";
import { resendInvitationCommand } from "@/lib/identity/resend-invitation";
import { revokeMemberSessionsCommand } from "@/lib/identity/revoke-member-sessions";
import { sendMemberPasswordResetCommand } from "@/lib/identity/send-member-password-reset";
import { unblockMemberSecondFactorCommand } from "@/lib/identity/unblock-member-second-factor";
import { loadRequestMeta, requirePrincipal } from "../../../../load-viewer";
import { describeFailure } from "../../access/action-failure";

// The member's sign-in controls. Each action takes the org from the URL and the member's id from
// the page; the command loads the member inside the org and checks users:manage at every branch
// where they hold a role, so an id from elsewhere is "not found".

type Done = ActionResult<{ message: string }>;

export async function sendPasswordResetAction(org: string, membershipId: string): Promise<Done> {
  return run(org, membershipId, async (principal, meta) => {
    const sent = await runCommand(sendMemberPasswordResetCommand, principal, meta, { membershipId });
    return mailed(sent.mail, `A password reset link was sent to ${sent.mail.to}. It works once; they choose the new password.`);
  });
}

export async function resendInvitationAction(org: string, membershipId: string): Promise<Done> {
  return run(org, membershipId, async (principal, meta) => {
    const sent = await runCommand(resendInvitationCommand, principal, meta, { membershipId });
    return mailed(sent.mail, `A new invitation was sent to ${sent.mail.to}; earlier links no longer work.`);
  });
}

// `scope` comes from the page's button; "everywhere" is refused unless the org owns the account.
export async function revokeMemberSessionsAction(org: string, membershipId: string, scope: unknown): Promise<Done> {
  return run(org, membershipId, async (principal, meta) => {
    const ended = await runCommand(revokeMemberSessionsCommand, principal, meta, { membershipId, scope });
    if (ended.count === null) return "Their sessions here ended: they must sign in again to continue in this organization. Their other organizations are not affected.";
    return ended.count === 0 ? "They had no open sessions." : `Ended ${ended.count} session${ended.count === 1 ? "" : "s"}: they are signed out everywhere.`;
  });
}

export async function unblockSecondFactorAction(org: string, membershipId: string): Promise<Done> {
  return run(org, membershipId, async (principal, meta) => {
    const { failures } = await runCommand(unblockMemberSecondFactorCommand, principal, meta, { membershipId });
    return `Cleared ${failures} failed second-factor attempt${failures === 1 ? "" : "s"}: they can verify again at once.`;
  });
}

export async function deactivateMemberAction(org: string, membershipId: string): Promise<Done> {
  return run(org, membershipId, async (principal, meta) => {
    const { tokensRevoked } = await runCommand(deactivateMemberCommand, principal, meta, { membershipId });
    return `Deactivated. Their sessions here ended and ${tokensRevoked} API token${tokensRevoked === 1 ? " was" : "s were"} revoked.`;
  });
}

export async function reactivateMemberAction(org: string, membershipId: string): Promise<Done> {
  return run(org, membershipId, async (principal, meta) => {
    const { status } = await runCommand(reactivateMemberCommand, principal, meta, { membershipId });
    return status === "active" ? "Reactivated. They sign in again to continue here; API tokens have to be issued anew." : "Reactivated as invited: they had not accepted their invitation yet, so resend it.";
  });
}

type Principal = Awaited<ReturnType<typeof requirePrincipal>>;
type Meta = Awaited<ReturnType<typeof loadRequestMeta>>;

/** What the panel shows: a confirmation, or a failure that happened after the change committed. */
type Outcome = string | { error: string };

async function run(org: string, membershipId: string, body: (principal: Principal, meta: Meta) => Promise<Outcome>): Promise<Done> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const outcome = await body(principal, meta);
    revalidatePath(`/orgs/${org}/users/${membershipId}`);
    revalidatePath(`/orgs/${org}/users`);
    return typeof outcome === "string" ? { ok: true, data: { message: outcome } } : { ok: false, error: outcome.error };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

// An admin waits for the mail, so a broken SMTP setting is reported rather than silently lost.
async function mailed(mail: PendingMail, sentMessage: string): Promise<Outcome> {
  const delivery = await deliverMessage(mail.to, mail.message);
  if (!delivery) return { error: "The link was issued, but the mail could not be sent (see the server log). Check the mail settings and try again." };
  return sentMessage;
}
