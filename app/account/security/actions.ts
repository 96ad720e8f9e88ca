"use server";

import { revalidatePath } from "next/cache";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { UnauthorizedError } from "@/lib/core/errors";
import { describeFieldErrorsForPeople } from "@/lib/core/plain-messages";
import { changePasswordCommand } from "@/lib/identity/change-password";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { requestEmailChangeCommand } from "@/lib/identity/request-email-change";
import { emailChangeTtlSeconds } from "@/lib/identity/token-lifetimes";
import { describeValidity } from "@/lib/mail/messages";
import { revokeOtherSessionsCommand, revokeOwnSessionCommand } from "@/lib/identity/revoke-own-sessions";
import { addPasskeyCommand } from "@/lib/mfa/add-passkey";
import { regenerateRecoveryCodesCommand } from "@/lib/mfa/regenerate-recovery-codes";
import { removePasskeyCommand } from "@/lib/mfa/remove-passkey";
import { removeTotpCommand } from "@/lib/mfa/remove-totp";
import { startPasskeyRegistrationCommand } from "@/lib/mfa/start-passkey-registration";
import { accountPrincipal, loadRequestMeta, requireViewer } from "../../load-viewer";
import { describeFailure } from "../../orgs/[org]/access/action-failure";

// The person acts on their own account only: each command takes the user and session from the
// principal, and an id sent from the page (a session, a passkey) is looked up among theirs, so
// someone else's id is "not found". Factor changes need a recent sign-in; describeFailure sends
// the person to confirm it is them and back here.

const PAGE = "/account/security";
type Done = ActionResult<{ message: string }>;

export async function revokeOwnSessionAction(sessionId: string): Promise<Done> {
  return run(async (principal, meta) => {
    await runCommand(revokeOwnSessionCommand, principal, meta, { sessionId });
    return "Session ended: that device is signed out.";
  });
}

export async function revokeOtherSessionsAction(): Promise<Done> {
  return run(async (principal, meta) => {
    const { count } = await runCommand(revokeOtherSessionsCommand, principal, meta, {});
    return count === 0 ? "There were no other sessions to end." : `Ended ${count} other session${count === 1 ? "" : "s"}. You are still signed in here.`;
  });
}

export async function removeTotpAction(): Promise<Done> {
  return run(async (principal, meta) => {
    await runCommand(removeTotpCommand, principal, meta, {});
    return "Authenticator app removed.";
  });
}

export async function removePasskeyAction(passkeyId: string): Promise<Done> {
  return run(async (principal, meta) => {
    await runCommand(removePasskeyCommand, principal, meta, { passkeyId });
    return "Passkey removed.";
  });
}

/** The new codes travel to the browser once, in this result; only their hashes are stored. */
export async function regenerateRecoveryCodesAction(): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  const principal = accountPrincipal(await requireViewer());
  const meta = await loadRequestMeta();
  try {
    const { recoveryCodes } = await runCommand(regenerateRecoveryCodesCommand, principal, meta, {});
    revalidatePath(PAGE);
    return { ok: true, data: { recoveryCodes } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function startPasskeyRegistrationAction(): Promise<ActionResult<PublicKeyCredentialCreationOptionsJSON>> {
  const principal = accountPrincipal(await requireViewer());
  const meta = await loadRequestMeta();
  try {
    return { ok: true, data: await runCommand(startPasskeyRegistrationCommand, principal, meta, {}) };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function addPasskeyAction(input: unknown): Promise<ActionResult<{ id: string; name: string }>> {
  const principal = accountPrincipal(await requireViewer());
  const meta = await loadRequestMeta();
  try {
    const added = await runCommand(addPasskeyCommand, principal, meta, input);
    revalidatePath(PAGE);
    return { ok: true, data: added };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

/**
 * Needs the current password, not a step-up: that is the proof. The passwords never come back in
 * the result, and a wrong current password is reported next to its own field.
 */
export async function changePasswordAction(_prev: Done | null, input: { currentPassword?: unknown; newPassword?: unknown }): Promise<Done> {
  const principal = accountPrincipal(await requireViewer());
  const meta = await loadRequestMeta();
  try {
    const { otherSessionsEnded } = await runCommand(changePasswordCommand, principal, meta, { currentPassword: input?.currentPassword, newPassword: input?.newPassword });
    revalidatePath(PAGE);
    const ended = otherSessionsEnded === 0 ? "" : ` ${otherSessionsEnded} other session${otherSessionsEnded === 1 ? " was" : "s were"} signed out.`;
    return { ok: true, data: { message: `Password changed. You are still signed in here.${ended}` } };
  } catch (error) {
    if (error instanceof UnauthorizedError && error.auditDetail.reason === "bad-password") {
      return { ok: false, error: "Check the highlighted fields.", fieldErrors: describeFieldErrorsForPeople({ currentPassword: [error.message] }) };
    }
    return describeFailure(error, meta.requestId);
  }
}

/**
 * Mails a confirmation link to the new address; the email changes when it is opened. The answer
 * is the same whether or not the address already has an account (that one gets a notice).
 */
export async function requestEmailChangeAction(_prev: Done | null, input: { newEmail?: unknown }): Promise<Done> {
  const principal = accountPrincipal(await requireViewer());
  const meta = await loadRequestMeta();
  try {
    const { mail } = await runCommand(requestEmailChangeCommand, principal, meta, { newEmail: input?.newEmail });
    // The person waits for this mail, so a broken mail setup is said, not silently lost.
    if (!(await deliverMessage(mail.to, mail.message))) return { ok: false, error: "The link was issued, but the mail could not be sent. Try again later, or tell your administrator." };
    const validity = describeValidity(new Date(Date.now() + emailChangeTtlSeconds() * 1000));
    return { ok: true, data: { message: `We sent a link to ${mail.to}. Open it within ${validity} to make it your sign-in email; until then you sign in with your current one.` } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

type Principal = ReturnType<typeof accountPrincipal>;
type Meta = Awaited<ReturnType<typeof loadRequestMeta>>;

async function run(body: (principal: Principal, meta: Meta) => Promise<string>): Promise<Done> {
  const principal = accountPrincipal(await requireViewer());
  const meta = await loadRequestMeta();
  try {
    const message = await body(principal, meta);
    revalidatePath(PAGE);
    return { ok: true, data: { message } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
