import { permissionCatalog, type Permission } from "@/lib/access/permissions";
import type { Principal } from "./context";
import { ForbiddenError, MfaRequiredError, StepUpRequiredError } from "./errors";

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
  // An IdP's SCIM token provisions members; nothing it does is a person's sensitive action.
  if (actor.type === "scim") throw new ForbiddenError("This action needs a recent second-factor check, so it cannot be done with a SCIM token.");
  const auth = principal.sessionAuth;
  const oldest = now.getTime() - stepUpMaxAgeSeconds() * 1000;
  const proved = kind === "mfa" ? auth?.mfaVerifiedAt : auth?.reauthenticatedAt;
  if (!proved || proved.getTime() < oldest) throw new StepUpRequiredError(kind);
}

/**
 * An admin-class permission needs a session that has passed MFA at least once, whenever the
 * permission was granted: a grant made mid-session must not ride on a password-only sign-in for
 * the rest of it. The command wrapper asks this for the command's permission and for every
 * `authorize` call. Only people's sessions are judged: the operator controls the host, an API
 * token cannot present a factor (its creation needed a step-up), and a user principal without a
 * session is built only by test factories (every request loader attaches the session).
 */
export function assertMfaPassedFor(principal: Principal, permission: Permission): void {
  if (principal.actor.type !== "user" || !principal.sessionAuth) return;
  if (!permissionCatalog[permission].adminClass || principal.sessionAuth.mfaVerifiedAt) return;
  throw new MfaRequiredError(permission);
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
