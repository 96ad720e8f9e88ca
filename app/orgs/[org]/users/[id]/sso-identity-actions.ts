"use server";

import { redirect } from "next/navigation";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { unlinkIdentityCommand } from "@/lib/sso/unlink-identity";
import { loadRequestMeta, requirePrincipal } from "../../../../load-viewer";
import { describeFailure } from "../../access/action-failure";

/**
 * Unlinks one of a member's SSO identities. The org comes from the URL; the command finds the
 * identity in that org only and checks sso:manage, ownership of the account and a recent second
 * factor. The row leaves the page, so the outcome comes back as the page's notice.
 */
export async function unlinkMemberIdentityAction(org: string, membershipId: string, identityId: string): Promise<ActionResult<{ message: string }>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(unlinkIdentityCommand, principal, meta, { identityId });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  redirect(`/orgs/${encodeURIComponent(org)}/users/${encodeURIComponent(membershipId)}?notice=identity-unlinked`);
}
