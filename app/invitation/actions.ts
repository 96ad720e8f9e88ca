"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { acceptInvitationCommand } from "@/lib/identity/accept-invitation";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { loadRequestMeta } from "../load-viewer";
import { describeFailure } from "../orgs/[org]/access/action-failure";

/** Accepts an invitation; the person then signs in as usual. The password never comes back. */
export async function acceptInvitationAction(token: string, _prev: ActionResult | null, input: { name?: unknown; password?: unknown }): Promise<ActionResult> {
  const meta = await loadRequestMeta();
  try {
    await runCommand(acceptInvitationCommand, anonymousPrincipal(), meta, { token, name: input?.name, password: input?.password });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  redirect("/sign-in?notice=invitation-accepted");
}
