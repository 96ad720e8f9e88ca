"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { notifyAfterDecision, notifyAfterSubmit } from "@/lib/approvals/notify";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { ValidationError } from "@/lib/core/errors";
import { cancelOrderCommand } from "@/lib/orders/cancel-order";
import { approveOrderCommand, rejectOrderCommand } from "@/lib/orders/decide-order";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { readOrderLinesText } from "@/lib/orders/order-lines-text";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

// Each action takes the org from the URL and hands the rest to one command, which loads the
// order or branch within the org and checks every permission (isolation-actions.test.ts).

type Result = ActionResult<{ id: string }>;

/** The new-order form: a draft, or (the "Submit" button) a draft submitted at once. */
export async function createOrderAction(org: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  const text = (name: string) => String(form.get(name) ?? "").trim();
  let id: string;
  try {
    const lines = readOrderLinesText(text("lines"));
    if (!lines.ok) throw new ValidationError({ lines: [lines.reason] });
    const order = await runCommand(draftOrderCommand, principal, meta, {
      branchId: text("branchId"),
      lines: lines.value,
      requestedDeliveryDate: text("requestedDeliveryDate") || null,
      shipToAddressId: text("shipToAddressId") || null,
      note: String(form.get("note") ?? ""),
      ...(text("currency") ? { currency: text("currency") } : {}),
    });
    id = order.id;
    if (form.get("intent") === "submit") await notifyAfterSubmit(principal, await runCommand(submitOrderCommand, principal, meta, { orderId: id }));
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/orders`);
  redirect(`/orgs/${org}/orders/${id}`);
}

function versionOf(form: FormData): number | undefined {
  const v = Number(form.get("version"));
  return Number.isSafeInteger(v) && v > 0 ? v : undefined;
}
const commentOf = (form: FormData) => String(form.get("comment") ?? "").trim() || undefined;

export async function submitOrderAction(org: string, orderId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await notifyAfterSubmit(principal, await runCommand(submitOrderCommand, principal, meta, { orderId, version: versionOf(form), comment: commentOf(form) }));
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/orders/${orderId}`);
  return { ok: true, data: { id: orderId } };
}

export async function cancelOrderAction(org: string, orderId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await runCommand(cancelOrderCommand, principal, meta, { orderId, version: versionOf(form), comment: commentOf(form) });
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/orders/${orderId}`);
  return { ok: true, data: { id: orderId } };
}

export async function approveOrderAction(org: string, orderId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await notifyAfterDecision(principal, await runCommand(approveOrderCommand, principal, meta, { orderId, version: versionOf(form), comment: commentOf(form) }));
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/orders/${orderId}`);
  return { ok: true, data: { id: orderId } };
}

export async function rejectOrderAction(org: string, orderId: string, _prev: Result | null, form: FormData): Promise<Result> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  try {
    await notifyAfterDecision(principal, await runCommand(rejectOrderCommand, principal, meta, { orderId, version: versionOf(form), comment: commentOf(form) }));
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/orders/${orderId}`);
  return { ok: true, data: { id: orderId } };
}
