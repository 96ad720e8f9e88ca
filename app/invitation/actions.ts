"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { acceptInvitationCommand } from "@/lib/identity/accept-invitation";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { signOut } from "@/lib/identity/auth";
import { accountPrincipal, loadRequestMeta, loadViewer } from "../load-viewer";
import { describeFailure } from "../orgs/[org]/access/action-failure";
import { invitationPath } from "./invitation-path";

/**
 * Accepts an invitation, as whoever is signed in (the command lets an existing account join only
 * when it is the one signed in). The password never comes back. Someone who just chose their
 * password signs in next; someone already signed in goes straight to the org they joined.
 */
export async function acceptInvitationAction(token: string, _prev: ActionResult | null, input: { name?: unknown; password?: unknown }): Promise<ActionResult> {
  const meta = await loadRequestMeta();
  const viewer = await loadViewer();
  let joined: { orgSlug: string; passwordSet: boolean };
  try {
    joined = await runCommand(acceptInvitationCommand, viewer ? accountPrincipal(viewer) : anonymousPrincipal(), meta, { token, name: input?.name, password: input?.password });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  redirect(viewer && !joined.passwordSet ? `/orgs/${joined.orgSlug}` : "/sign-in?notice=invitation-accepted");
}

/** Someone else is signed in: sign out, then sign in as the invited person and come back here. */
export async function signOutForInvitationAction(token: string): Promise<void> {
  await signOut({ redirectTo: `/sign-in?callbackUrl=${encodeURIComponent(invitationPath(token))}` });
}
