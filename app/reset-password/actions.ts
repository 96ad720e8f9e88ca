"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { completePasswordResetCommand } from "@/lib/identity/complete-password-reset";
import { loadRequestMeta } from "../load-viewer";
import { describeFailure } from "../orgs/[org]/access/action-failure";

/**
 * Sets the new password through the link. Every session of the person ends and nobody is signed
 * in: they sign in again, second factor included. The password never comes back in the state.
 */
export async function completePasswordResetAction(token: string, _prev: ActionResult | null, input: { password?: unknown }): Promise<ActionResult> {
  const meta = await loadRequestMeta();
  try {
    await runCommand(completePasswordResetCommand, anonymousPrincipal(), meta, { token, password: input?.password });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  redirect("/sign-in?notice=password-reset");
}
