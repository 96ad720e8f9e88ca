"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { createBranchCommand } from "@/lib/branches/create-branch";
import { deleteBranchCommand } from "@/lib/branches/delete-branch";
import { moveBranchCommand } from "@/lib/branches/move-branch";
import { renameBranchCommand } from "@/lib/branches/rename-branch";
import { runCommand } from "@/lib/core/command";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

// Each action authenticates and authorizes on its own; the commands load both branches within
// the org and check branches:manage where the branch is and where it goes.

type Result = ActionResult<{ id: string }>;

export async function createBranchAction(org: string, parentId: string | null, _prev: Result | null, input: unknown): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const branch = await runCommand(createBranchCommand, principal, meta, { ...(input as object), parentId });
    revalidatePath(`/orgs/${org}`, "layout");
    return { ok: true, data: { id: branch.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function renameBranchAction(org: string, branchId: string, _prev: Result | null, input: unknown): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const branch = await runCommand(renameBranchCommand, principal, meta, { ...(input as object), branchId });
    revalidatePath(`/orgs/${org}`, "layout");
    return { ok: true, data: { id: branch.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function moveBranchAction(org: string, branchId: string, _prev: Result | null, input: unknown): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const moved = await runCommand(moveBranchCommand, principal, meta, { ...(input as object), branchId });
    revalidatePath(`/orgs/${org}`, "layout");
    return { ok: true, data: { id: moved.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function deleteBranchAction(org: string, branchId: string): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const deleted = await runCommand(deleteBranchCommand, principal, meta, { branchId });
    revalidatePath(`/orgs/${org}`, "layout");
    return { ok: true, data: { id: deleted.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
