"use server";

import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { applyMemberImportBatchCommand, type MemberImportProgress } from "@/lib/identity/import/apply-member-import-batch";
import { loadRequestMeta, requirePrincipal } from "../../../../load-viewer";
import { describeFailure } from "../../access/action-failure";

/** One batch of a members import (one audited command); its invitations are mailed once it has committed. */
export async function applyMemberImportBatchAction(org: string, importId: string): Promise<ActionResult<MemberImportProgress>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const { progress, invitations } = await runCommand(applyMemberImportBatchCommand, principal, meta, { importId });
    for (const invitation of invitations) await deliverMessage(invitation.to, invitation.message);
    return { ok: true, data: progress };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
