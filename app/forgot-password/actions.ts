"use server";

import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { admitPasswordResetRequest } from "@/lib/identity/admit-password-reset-request";
import { anonymousPrincipal } from "@/lib/identity/anonymous-principal";
import { answerPasswordResetRequest, type PasswordResetAnswer } from "@/lib/identity/answer-reset-request";
import { requestPasswordResetCommand } from "@/lib/identity/request-password-reset";
import { loadRequestMeta } from "../load-viewer";
import { describeFailure } from "../orgs/[org]/access/action-failure";

/**
 * "Forgot password". Answers the same notice whether or not the account exists; the mail is sent
 * after the answer, so the response time does not tell either.
 */
export async function requestPasswordResetAction(_prev: ActionResult<PasswordResetAnswer> | null, input: unknown): Promise<ActionResult<PasswordResetAnswer>> {
  const meta = await loadRequestMeta();
  try {
    await admitPasswordResetRequest(meta);
    const requested = await runCommand(requestPasswordResetCommand, anonymousPrincipal(), meta, input);
    return { ok: true, data: answerPasswordResetRequest(requested) };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
