"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { AppError, StepUpRequiredError, MfaRequiredError, ValidationError } from "@/lib/core/errors";
import { fieldErrorsFromIssues } from "@/lib/core/input-rules";
import { readAs } from "@/lib/core/read-as";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { bulkMemberActionSchema } from "@/lib/identity/bulk-member-schema";
import { deactivateMemberCommand } from "@/lib/identity/deactivate-member";
import { getMemberRow } from "@/lib/identity/get-member";
import { updateMemberCommand } from "@/lib/identity/update-member";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

export interface BulkOutcome {
  done: number;
  failed: Array<{ member: string; error: string }>;
}

/**
 * The Users page's bulk actions on the selected members: deactivate, grant a role at a branch, or
 * move (each of their roles to one branch, replacing their grants in one step). One command per
 * member, each authorized on its own, so a member the actor may not change is reported and the
 * others still happen.
 */
export async function bulkMembersAction(org: string, _prev: ActionResult<BulkOutcome> | null, form: FormData): Promise<ActionResult<BulkOutcome>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const parsed = bulkMemberActionSchema.safeParse({
      ids: form.getAll("ids").map(String),
      action: form.get("action") ?? undefined,
      roleId: form.get("roleId") || undefined,
      branchId: form.get("branchId") ?? undefined,
    });
    if (!parsed.success) throw new ValidationError(fieldErrorsFromIssues(parsed.error.issues, "ids"));
    const input = parsed.data;
    const branchId = input.branchId ? input.branchId : null;
    const outcome: BulkOutcome = { done: 0, failed: [] };
    for (const membershipId of new Set(input.ids)) {
      try {
        if (input.action === "deactivate") await runCommand(deactivateMemberCommand, principal, meta, { membershipId });
        else if (input.action === "grant") await runCommand(addGrantCommand, principal, meta, { membershipId, roleId: input.roleId, branchId });
        else {
          const member = await readAs(principal, (tx) => getMemberRow(tx, principal, membershipId));
          const roleIds = [...new Set((member?.grants ?? []).map((g) => g.roleId))];
          await runCommand(updateMemberCommand, principal, meta, { membershipId, grants: roleIds.map((roleId) => ({ roleId, branchId })) });
        }
        outcome.done += 1;
      } catch (error) {
        if (error instanceof StepUpRequiredError || error instanceof MfaRequiredError || !(error instanceof AppError)) throw error;
        outcome.failed.push({ member: membershipId, error: error.message });
      }
    }
    revalidatePath(`/orgs/${org}/users`);
    return { ok: true, data: outcome };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
