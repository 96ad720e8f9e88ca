"use server";

import { revalidatePath } from "next/cache";
import { notifyAfterDecision } from "@/lib/approvals/notify";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { AppError } from "@/lib/core/errors";
import { isUuidText } from "@/lib/core/input-rules";
import { approveOrderCommand, rejectOrderCommand } from "@/lib/orders/decide-order";
import { createDelegationCommand } from "@/lib/approvals/create-delegation";
import { endDelegationCommand } from "@/lib/approvals/end-delegation";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

export type BulkResult = ActionResult<{ decided: number; failures: string[] }>;

/**
 * The inbox's bulk decision: approve or reject every ticked order, with one comment. Each order
 * is its own command (its own checks, transaction and audit event), so one refusal (a race, a
 * limit) leaves the others decided and is listed with its reason.
 */
export async function decideApprovalsAction(org: string, _prev: BulkResult | null, form: FormData): Promise<BulkResult> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  const decision = form.get("decision") === "reject" ? rejectOrderCommand : approveOrderCommand;
  const ids = form.getAll("orderId").map(String).filter(isUuidText).slice(0, 200);
  if (ids.length === 0) return { ok: false, error: "Tick at least one order.", fieldErrors: { orderId: ["tick at least one order"] } };
  const comment = String(form.get("comment") ?? "").trim() || undefined;
  const failures: string[] = [];
  let decided = 0;
  for (const orderId of ids) {
    const v = Number(form.get(`version-${orderId}`));
    try {
      await notifyAfterDecision(principal, await runCommand(decision, principal, meta, { orderId, comment, ...(Number.isSafeInteger(v) && v > 0 ? { version: v } : {}) }));
      decided++;
    } catch (error) {
      if (!(error instanceof AppError)) return describeFailure(error, meta.requestId);
      failures.push(`${String(form.get(`number-${orderId}`) ?? orderId).slice(0, 40)}: ${error.message}`);
    }
  }
  revalidatePath(`/orgs/${org}/approvals`);
  return { ok: true, data: { decided, failures } };
}

export type DelegationResult = ActionResult<{ message: string }>;

/** Names the viewer's delegate for a period, from the inbox page's form (the delegator is the viewer). */
export async function createDelegationAction(org: string, _prev: DelegationResult | null, form: FormData): Promise<DelegationResult> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const input = { delegateEmail: text("delegateEmail") || undefined, startsAt: text("startsAt") || undefined, endsAt: text("endsAt") };
  try {
    await runCommand(createDelegationCommand, principal, meta, input);
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/approvals`);
  return { ok: true, data: { message: `${input.delegateEmail ?? "Your delegate"} now stands in for you.` } };
}

/** Ends one of the viewer's own delegations now. */
export async function endDelegationAction(org: string, _prev: DelegationResult | null, form: FormData): Promise<DelegationResult> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(endDelegationCommand, principal, meta, { delegationId: String(form.get("delegationId") ?? "") });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/approvals`);
  return { ok: true, data: { message: "Delegation ended." } };
}
