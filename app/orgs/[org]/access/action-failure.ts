import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/core/action-result";
import { AppError, ConflictError, MfaRequiredError, StepUpRequiredError, ValidationError } from "@/lib/core/errors";
import { describeFieldErrorsForPeople } from "@/lib/core/plain-messages";
import { stepUpPath } from "../../../account/step-up-path";
import { currentPath } from "../../../load-viewer";

export type ActionFailure = Extract<ActionResult, { ok: false }>;

/**
 * Maps a command's typed error to the state a form shows: field errors next to their fields, a
 * refusal or conflict as a message. A sensitive command that wants a fresh sign-in sends the
 * person to confirm it is them and back to the page they were on (the action's own path), where
 * they press the button again. Anything unexpected is logged with the request id and only the id
 * goes to the browser. Shared by every page's server actions.
 */
export async function describeFailure(error: unknown, requestId: string): Promise<ActionFailure> {
  // The page's loader sends a session that never passed MFA to its second factor or enrollment.
  if (error instanceof MfaRequiredError) redirect(await currentPath());
  if (error instanceof StepUpRequiredError) redirect(stepUpPath(await currentPath()));
  // Each reason becomes a sentence that names its field as the form labels it.
  if (error instanceof ValidationError) return { ok: false, error: "Check the highlighted fields.", fieldErrors: describeFieldErrorsForPeople(error.fieldErrors) };
  if (error instanceof ConflictError && error.field) return { ok: false, error: error.message, fieldErrors: describeFieldErrorsForPeople({ [error.field]: [error.message] }) };
  if (error instanceof AppError) return { ok: false, error: error.message };
  console.error(`[${requestId}] server action failed`, error);
  return { ok: false, error: `Something went wrong. Quote request id ${requestId} when reporting it.`, requestId };
}
