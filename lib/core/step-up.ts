import type { Principal } from "./context";
import { ForbiddenError, StepUpRequiredError } from "./errors";

export type StepUpKind = "mfa" | "recent-auth";

/** How long a step-up counts, in seconds (STEP_UP_MAX_AGE_SECONDS, default 10 minutes). */
export function stepUpMaxAgeSeconds(): number {
  const value = Number(process.env.STEP_UP_MAX_AGE_SECONDS ?? 600);
  return Number.isFinite(value) && value > 0 ? value : 600;
}

export interface StepUpOptions {
  /**
   * API tokens cannot present a second factor. Where a machine use is expected (exporting the
   * audit trail to a SIEM) they may pass, since creating the token itself needed a step-up;
   * elsewhere (granting admin-class roles, MFA policy) they are refused.
   */
  apiTokens?: "allow" | "refuse";
}

/**
 * Sensitive commands call this (through the command wrapper). The operator (CLI) is already in
 * control of the host, so it passes; a signed-in person must have proved themselves recently.
 */
export function assertStepUp(principal: Principal, kind: StepUpKind, options: StepUpOptions = {}, now = new Date()): void {
  const actor = principal.actor;
  if (actor.type === "system") return;
  if (actor.type === "api-token") {
    if (options.apiTokens === "allow") return;
    throw new ForbiddenError("This action needs a recent second-factor check, so it cannot be done with an API token; do it from the dashboard.");
  }
  const auth = principal.sessionAuth;
  const oldest = now.getTime() - stepUpMaxAgeSeconds() * 1000;
  const proved = kind === "mfa" ? auth?.mfaVerifiedAt : auth?.reauthenticatedAt;
  if (!proved || proved.getTime() < oldest) throw new StepUpRequiredError(kind);
}

/** The same check as a yes/no, for pages that send the person to step up before showing a form. */
export function hasSteppedUp(principal: Principal, kind: StepUpKind): boolean {
  try {
    assertStepUp(principal, kind);
    return true;
  } catch {
    return false;
  }
}
