"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { acceptInvitationCommand } from "@/lib/identity/accept-invitation";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { signOut } from "@/lib/identity/auth";
import type { PendingSignIn } from "@/lib/identity/resolve-session";
import { setSessionCookie } from "../account/set-session-cookie";
import { accountPrincipal, loadRequestMeta, loadViewer, pendingSignInPath } from "../load-viewer";
import { describeFailure } from "../orgs/[org]/access/action-failure";
import { invitationPath } from "./invitation-path";

/**
 * Accepts an invitation, as whoever is signed in (the command lets an existing account join only
 * when it is the one signed in). The password never comes back. Someone who just chose their
 * password is signed in by it (the same session and cookie as password sign-in) and goes to the
 * org, or to MFA enrollment first when it is due; someone already signed in goes straight there.
 */
export async function acceptInvitationAction(token: string, _prev: ActionResult | null, input: { name?: unknown; password?: unknown }): Promise<ActionResult> {
  const meta = await loadRequestMeta();
  const viewer = await loadViewer();
  let joined: { orgSlug: string; passwordSet: boolean; sessionToken: string | null; pending: PendingSignIn | null };
  try {
    joined = await runCommand(acceptInvitationCommand, viewer ? accountPrincipal(viewer) : anonymousPrincipal(), meta, { token, name: input?.name, password: input?.password });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  const orgHome = `/orgs/${joined.orgSlug}`;
  // A new person is signed in by accepting (the command opened the session): on to the org, or
  // first to MFA enrollment when it is due for them there.
  if (joined.sessionToken) {
    await setSessionCookie(joined.sessionToken);
    redirect(joined.pending ? pendingSignInPath(joined.pending, orgHome) : orgHome);
  }
  redirect(viewer && !joined.passwordSet ? orgHome : "/sign-in?notice=invitation-accepted");
}

/** Someone else is signed in: sign out, then sign in as the invited person and come back here. */
export async function signOutForInvitationAction(token: string): Promise<void> {
  await signOut({ redirectTo: `/sign-in?callbackUrl=${encodeURIComponent(invitationPath(token))}` });
}
