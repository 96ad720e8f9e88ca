import { eq } from "drizzle-orm";
import { invoices, orders, organizations } from "@/db/schema";
import { convertToBaseMinor, loadAccountTerms } from "@/lib/accounts/account-terms";
import { enterSupplierScope } from "@/lib/accounts/supplier-scope";
import { defineCommand, notFound } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import { ConflictError } from "@/lib/core/errors";
import { issueInvoiceSchema } from "./schemas";

// Only an order the account has placed (approved) or that was fulfilled is billed.
const INVOICEABLE = new Set(["approved", "fulfilled"]);
const DEFAULT_DUE_DAYS = 30;

/**
 * The supplier invoices one placed order of one of its accounts (invoices:issue at the
 * supplier's root). The amounts are the order's, copied on the server; the base total is the
 * order's at submission, else converted now through the account's rates. One invoice per order:
 * a second is 409 (the unique index answers a race the same way). Filed on the supplier's chain,
 * like its other commands on an account.
 */
export const issueInvoiceCommand = defineCommand({
  name: "invoice.issued",
  description: "The supplier issued an invoice for an account's placed order (account, order, number, currency and total in the metadata).",
  access: { permission: "invoices:issue" },
  input: issueInvoiceSchema,
  async run(ctx, input) {
    await enterSupplierScope(ctx, "invoices:issue");
    const [order] = await ctx.tx.select().from(orders).where(eq(orders.id, input.orderId));
    if (!order) notFound("Order");
    // An org that is not one of the supplier's accounts has no terms: its orders are not ours to bill.
    const terms = (await loadAccountTerms(ctx.tx, order.orgId)) ?? notFound("Order");
    if (!INVOICEABLE.has(order.status)) throw new ConflictError(`Order ${order.number} is ${order.status}; only a placed order can be invoiced.`, "orderId");
    const [existing] = await ctx.tx.select({ number: invoices.number }).from(invoices).where(eq(invoices.orderId, order.id));
    if (existing) throw new ConflictError(`Order ${order.number} already has invoice ${existing.number}.`, "orderId");
    const baseTotalMinor = order.baseTotalMinor ?? convertToBaseMinor(terms, order.totalMinor, order.currency);
    if (baseTotalMinor === null) throw new ConflictError(`The account no longer uses ${order.currency}, the order's currency; set its rate before invoicing.`, "orderId");
    const due = new Date(Date.now() + (input.dueInDays ?? DEFAULT_DUE_DAYS) * 86_400_000).toISOString().slice(0, 10);
    const [invoice] = await ctx.tx
      .insert(invoices)
      .values({
        orgId: order.orgId,
        orderId: order.id,
        branchId: order.branchId,
        number: `INV-${order.number}`,
        currency: order.currency,
        subtotalMinor: order.subtotalMinor,
        taxMinor: order.taxMinor,
        totalMinor: order.totalMinor,
        baseTotalMinor,
        baseCurrency: order.baseTotalMinor !== null && order.baseCurrency ? order.baseCurrency : terms.baseCurrency,
        dueDate: due,
        issuedBy: actorUserId(ctx.principal.actor),
      })
      .returning();
    const [account] = await ctx.tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, order.orgId));
    return {
      result: invoice!,
      target: { type: "invoice", id: invoice!.id, label: invoice!.number },
      metadata: { accountId: order.orgId, account: account?.name ?? null, orderId: order.id, order: order.number, currency: invoice!.currency, totalMinor: invoice!.totalMinor, dueDate: due },
    };
  },
});
