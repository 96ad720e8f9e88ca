"use server";

import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { UnauthorizedError } from "@/lib/core/errors";
import { describeFieldErrorsForPeople } from "@/lib/core/plain-messages";
import { loadSessionPrincipal } from "@/lib/identity/load-member-principal";
import { startIdentityLinkCommand } from "@/lib/sso/start-identity-link";
import { unlinkOwnIdentityCommand } from "@/lib/sso/unlink-own-identity";
import { redirect } from "next/navigation";
import { loadRequestMeta, requireViewer } from "../../load-viewer";
import { describeFailure } from "../../orgs/[org]/access/action-failure";

/**
 * Starts linking the person's own account at one of `org`'s connections: as their membership
 * there (another org's connection reads as missing), with their password and a recent second
 * factor (without one, describeFailure sends them to confirm it and back). The browser then goes
 * to the IdP; the answer comes back through /sso/link/complete.
 */
export async function startIdentityLinkAction(org: string, _prev: unknown, input: { connectionId?: unknown; password?: unknown }): Promise<ActionResult<{ redirectUrl: string }>> {
  const viewer = await requireViewer();
  const meta = await loadRequestMeta();
  try {
    const principal = await loadSessionPrincipal(viewer, org);
    if (!principal) return { ok: false, error: "You are not an active member of that organization." };
    const { redirectUrl } = await runCommand(startIdentityLinkCommand, principal, meta, { connectionId: input?.connectionId, password: input?.password });
    return { ok: true, data: { redirectUrl } };
  } catch (error) {
    if (error instanceof UnauthorizedError && error.auditDetail.reason === "bad-password") {
      return { ok: false, error: "Check the highlighted fields.", fieldErrors: describeFieldErrorsForPeople({ password: [error.message] }) };
    }
    return describeFailure(error, meta.requestId);
  }
}

/**
 * Removes one of the person's own identities in `org` (a recent second factor, or the step-up page
 * and back). The identity's row leaves the page, so the outcome comes back as the page's fixed
 * `sso-link` code rather than as this button's state.
 */
export async function unlinkOwnIdentityAction(org: string, identityId: string): Promise<ActionResult<{ message: string }>> {
  const viewer = await requireViewer();
  const meta = await loadRequestMeta();
  try {
    const principal = await loadSessionPrincipal(viewer, org);
    if (!principal) return { ok: false, error: "You are not an active member of that organization." };
    await runCommand(unlinkOwnIdentityCommand, principal, meta, { identityId });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  redirect(`/account/security?org=${encodeURIComponent(org)}&sso-link=unlinked#sso-links-heading`);
}
