"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { createRoleCommand } from "@/lib/roles/create-role";
import { deleteRoleCommand } from "@/lib/roles/delete-role";
import { updateRoleCommand } from "@/lib/roles/update-role";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

// Each action authenticates and authorizes on its own (the page's check does not protect it);
// the commands load every id within the org and refuse what the actor may not do.

export async function createRoleAction(org: string, _prev: ActionResult<{ id: string }> | null, input: unknown): Promise<ActionResult<{ id: string }>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const role = await runCommand(createRoleCommand, principal, meta, input);
    revalidatePath(`/orgs/${org}/roles`);
    return { ok: true, data: { id: role.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function updateRoleAction(org: string, roleId: string, _prev: ActionResult<{ id: string }> | null, input: unknown): Promise<ActionResult<{ id: string }>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const role = await runCommand(updateRoleCommand, principal, meta, { ...(input as object), roleId });
    revalidatePath(`/orgs/${org}/roles`, "layout");
    return { ok: true, data: { id: role.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function deleteRoleAction(org: string, roleId: string, _prev: ActionResult<{ grantsAffected: number }> | null, input: unknown): Promise<ActionResult<{ grantsAffected: number }>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const { grants } = (input ?? {}) as { grants?: unknown };
    const result = await runCommand(deleteRoleCommand, principal, meta, { roleId, grants });
    revalidatePath(`/orgs/${org}`, "layout");
    return { ok: true, data: { grantsAffected: result.grantsAffected } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
