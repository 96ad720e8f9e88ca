import type { ActionResult } from "@/lib/core/action-result";
import type { Principal, RequestMeta } from "@/lib/core/context";
import { AppError, ValidationError } from "@/lib/core/errors";
import { describeFieldErrorsForPeople } from "@/lib/core/plain-messages";
import { accountPrincipal, loadRequestMeta, loadSession } from "../load-viewer";

const SESSION_ENDED: ActionResult<never> = { ok: false, error: "Your sign-in has expired. Sign in again." };

/**
 * Runs an account step for any live session: half-finished sign-ins (second factor, forced
 * enrollment) use these too, and the commands themselves say which steps a pending session may
 * take. Expected failures become messages; anything else is logged under the request id.
 */
export async function runAccountAction<T>(fn: (principal: Principal, meta: RequestMeta) => Promise<T>): Promise<ActionResult<T>> {
  const viewer = await loadSession();
  if (!viewer) return SESSION_ENDED;
  const meta = await loadRequestMeta();
  try {
    return { ok: true, data: await fn(accountPrincipal(viewer), meta) };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, error: "Check the highlighted fields.", fieldErrors: describeFieldErrorsForPeople(error.fieldErrors) };
    if (error instanceof AppError) return { ok: false, error: error.message };
    console.error(`[${meta.requestId}] account action failed`, error);
    return { ok: false, error: `Something went wrong. Quote request id ${meta.requestId} when reporting it.`, requestId: meta.requestId };
  }
}
