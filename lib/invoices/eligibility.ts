import type { Access } from "@/lib/access/access";
import { isWithinPath, type LimitToBase } from "@/lib/approvals/routing";

export interface InvoiceFacts {
  branchPath: string;
  /** Who ordered: they never decide its invoice. */
  buyerId: string;
  baseTotalMinor: number;
}

export type InvoiceEligibility = { eligible: true } | { eligible: false; reason: string };

/**
 * May this member approve or dispute this invoice? A grant carrying invoices:approve over the
 * order's branch, whose approval limit (in the account's base currency) is at or above the
 * invoice's total (a grant with no limit has no ceiling, as for orders). The order's buyer never
 * may: invoices have no self-approval limit, since the rule that could carry one is the order's.
 */
export function checkInvoiceEligibility(access: Access, approverId: string, invoice: InvoiceFacts, limitToBase: LimitToBase): InvoiceEligibility {
  if (access.kind !== "grants") return { eligible: false, reason: "only a member can decide an invoice" };
  if (approverId === invoice.buyerId) return { eligible: false, reason: "nobody decides the invoice of their own order" };
  let reason = "holds invoices:approve at neither the order's branch nor above it";
  for (const grant of access.grants) {
    if (!grant.permissions.has("invoices:approve") || !isWithinPath(invoice.branchPath, grant.branchPath)) continue;
    if (grant.approvalLimit) {
      const limit = limitToBase(grant.approvalLimit);
      if (limit === null) {
        reason = `the approval limit is in ${grant.approvalLimit.currency}, a currency this account does not use`;
        continue;
      }
      if (limit < invoice.baseTotalMinor) {
        reason = `the approval limit (${limit}) is below the invoice's total (${invoice.baseTotalMinor})`;
        continue;
      }
    }
    return { eligible: true };
  }
  return { eligible: false, reason };
}
