"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/core/action-result";
import { runCommand } from "@/lib/core/command";
import { approveInvoiceCommand, disputeInvoiceCommand } from "@/lib/invoices/decide-invoice";
import { loadRequestMeta, requirePrincipal } from "../../../load-viewer";
import { describeFailure } from "../access/action-failure";

export type InvoiceDecisionResult = ActionResult<{ message: string }>;

/** Approves or disputes one invoice from the Invoices page; the command does every check. */
export async function decideInvoiceAction(org: string, _prev: InvoiceDecisionResult | null, form: FormData): Promise<InvoiceDecisionResult> {
  const principal = await requirePrincipal(org);
  const meta = await loadRequestMeta();
  const dispute = form.get("decision") === "dispute";
  const version = Number(form.get("version"));
  const comment = String(form.get("comment") ?? "").trim();
  const input = { invoiceId: String(form.get("invoiceId") ?? ""), ...(comment || dispute ? { comment } : {}), ...(Number.isSafeInteger(version) && version > 0 ? { version } : {}) };
  try {
    if (dispute) await runCommand(disputeInvoiceCommand, principal, meta, input);
    else await runCommand(approveInvoiceCommand, principal, meta, input);
  } catch (error) {
    return describeFailure(error, meta.requestId);
  }
  revalidatePath(`/orgs/${org}/invoices`);
  return { ok: true, data: { message: dispute ? "Invoice disputed." : "Invoice approved." } };
}
