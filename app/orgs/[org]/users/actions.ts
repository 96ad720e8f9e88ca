"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { addGrantCommand } from "@/lib/grants/add-grant";
import { revokeGrantCommand } from "@/lib/grants/revoke-grant";
import { createMemberCommand } from "@/lib/identity/create-member";
import { deliverMessage } from "@/lib/identity/deliver-message";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";
import { answerMemberCreated, type MemberCreated } from "./member-created";

// Each action authenticates and authorizes on its own; the commands load the member, role,
// branch and grant within the org, so an id from another org is simply "not found".

// The command issues the invitation link; it is mailed once the member exists (committed).
export async function createMemberAction(org: string, _prev: ActionResult<MemberCreated> | null, input: unknown): Promise<ActionResult<MemberCreated>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const created = await runCommand(createMemberCommand, principal, meta, input);
    const delivered = created.invitation ? (await deliverMessage(created.invitation.to, created.invitation.message)) !== null : false;
    revalidatePath(`/orgs/${org}/users`);
    return { ok: true, data: answerMemberCreated(created, delivered) };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function addGrantAction(org: string, membershipId: string, _prev: ActionResult<{ id: string }> | null, input: unknown): Promise<ActionResult<{ id: string }>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const grant = await runCommand(addGrantCommand, principal, meta, { ...(input as object), membershipId });
    revalidatePath(`/orgs/${org}/users/${membershipId}`);
    return { ok: true, data: { id: grant.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}

export async function revokeGrantAction(org: string, grantId: string): Promise<ActionResult<{ id: string }>> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    const revoked = await runCommand(revokeGrantCommand, principal, meta, { grantId });
    revalidatePath(`/orgs/${org}/users`, "layout");
    return { ok: true, data: { id: revoked.id } };
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
}
