"use server";

import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { confirmEmailChangeCommand } from "@/lib/identity/confirm-email-change";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { loadRequestMeta } from "../../../load-viewer";
import { describeFailure } from "../../../orgs/[org]/access/action-failure";

/**
 * Uses the link: the new address becomes the sign-in email, and the old one gets a notice (sent
 * after the change committed; a mail failure is logged, the change stands).
 */
export async function confirmEmailChangeAction(token: string): Promise<ActionResult<{ email: string }>> {
  const meta = await loadRequestMeta();
  try {
    const { email, notice } = await runCommand(confirmEmailChangeCommand, anonymousPrincipal(), meta, { token });
    await deliverMessage(notice.to, notice.message);
    return { ok: true, data: { email } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
