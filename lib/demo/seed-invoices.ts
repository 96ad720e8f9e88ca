import type { Db } from "@/db/client";
import type { OrgRef, RequestMeta } from "@/lib/core/context";
import { runCommand } from "@/lib/core/command";
import { systemPrincipal } from "@/lib/core/system-principal";
import { issueInvoiceCommand } from "@/lib/invoices/issue-invoice";

/**
 * Northwind invoices a few of Acme's placed demo orders through the same command its staff use
 * (so amounts are the orders' and the trail records each), leaving them issued: Acme's managers
 * and admins have something to approve or dispute, its viewers something to read.
 */
export async function seedDemoInvoices(db: Db, meta: RequestMeta, supplier: OrgRef, placedOrderIds: readonly string[], count = 3): Promise<number> {
  const operator = systemPrincipal("seed", supplier);
  const chosen = placedOrderIds.slice(0, count);
  for (const [i, orderId] of chosen.entries()) await runCommand(issueInvoiceCommand, operator, meta, { orderId, dueInDays: 14 + 7 * i }, db);
  return chosen.length;
}
