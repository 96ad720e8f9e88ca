import type { ActionResult } from "@/lib/core/action-result";
import { AppError, ConflictError, ValidationError } from "@/lib/core/errors";

export type ActionFailure = Extract<ActionResult, { ok: false }>;

/**
 * Maps a command's typed error to the state a form shows: field errors next to their fields, a
 * refusal or conflict as a message. Anything unexpected is logged with the request id and only
 * the id goes to the browser. Shared by the access pages' server actions.
 */
export function describeFailure(error: unknown, requestId: string): ActionFailure {
  if (error instanceof ValidationError) return { ok: false, error: "Check the highlighted fields.", fieldErrors: error.fieldErrors };
  if (error instanceof ConflictError && error.field) return { ok: false, error: error.message, fieldErrors: { [error.field]: [error.message] } };
  if (error instanceof AppError) return { ok: false, error: error.message };
  console.error(`[${requestId}] server action failed`, error);
  return { ok: false, error: `Something went wrong. Quote request id ${requestId} when reporting it.`, requestId };
}
