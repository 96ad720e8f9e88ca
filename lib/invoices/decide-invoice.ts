import { and, eq, sql } from "drizzle-orm";
import { branches, invoices, orders } from "@/db/schema";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { limitToBaseWith } from "@/lib/approvals/limit-to-base";
import { defineCommand, notFound, type CommandContext } from "@/lib/core/command";
import { actorUserId } from "@/lib/core/context";
import type { CommandTx } from "@/lib/core/command-tx";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/core/errors";
import { checkInvoiceEligibility } from "./eligibility";
import { approveInvoiceSchema, disputeInvoiceSchema } from "./schemas";

type Decision = "approved" | "disputed";

/**
 * A customer member approves or disputes an issued invoice. The invoice's row is locked first,
 * so two decisions take turns and the second sees the first (409); a stale `version` is 409 too.
 * Scope is invoices:approve at the order's branch (invisible: 404, visible: 403), then the pure
 * eligibility check (limit, never one's own order).
 */
async function decide(ctx: CommandContext, input: { invoiceId: string; comment?: string; version?: number }, decision: Decision) {
  const { tx, principal } = ctx;
  const orgId = principal.org?.id ?? notFound("Organization");
  const userId = actorUserId(principal.actor);
  if (!userId) throw new ForbiddenError("Only a member can decide an invoice.");
  const invoice = await lockInvoice(tx, orgId, input.invoiceId, input.version);
  ctx.authorize("invoices:approve", invoice.branchPath, "Invoice");
  if (invoice.status !== "issued") throw new ConflictError(`This invoice is already ${invoice.status}.`, "status");
  const limitToBase = limitToBaseWith(await loadAccountTerms(tx, orgId));
  const verdict = checkInvoiceEligibility(principal.access, userId, { branchPath: invoice.branchPath, buyerId: invoice.buyerId, baseTotalMinor: invoice.baseTotalMinor }, limitToBase);
  if (!verdict.eligible) throw new ForbiddenError(`You cannot decide this invoice (${verdict.reason}).`, "invoices:approve");
  const [updated] = await tx
    .update(invoices)
    .set({ status: decision, decidedBy: userId, decidedAt: new Date(), comment: input.comment ?? "", version: sql`${invoices.version} + 1`, updatedAt: sql`now()` })
    .where(eq(invoices.id, invoice.id))
    .returning();
  return {
    result: updated!,
    target: { type: "invoice", id: invoice.id, label: invoice.number },
    branchId: invoice.branchId,
    metadata: { order: invoice.orderNumber, totalMinor: invoice.totalMinor, currency: invoice.currency, status: decision, comment: input.comment ?? null },
  };
}

async function lockInvoice(tx: CommandTx, orgId: string, invoiceId: string, expectedVersion?: number) {
  const [row] = await tx
    .select({ invoice: invoices, branchPath: branches.path, buyerId: orders.buyerId, orderNumber: orders.number })
    .from(invoices)
    .innerJoin(branches, eq(branches.id, invoices.branchId))
    .innerJoin(orders, eq(orders.id, invoices.orderId))
    .where(and(eq(invoices.orgId, orgId), eq(invoices.id, invoiceId)))
    .for("update", { of: invoices });
  if (!row) throw new NotFoundError("Invoice");
  if (expectedVersion !== undefined && expectedVersion !== row.invoice.version) {
    throw new ConflictError(`The invoice changed since you loaded it (now version ${row.invoice.version}); reload it and try again.`, "version");
  }
  return { ...row.invoice, branchPath: row.branchPath, buyerId: row.buyerId, orderNumber: row.orderNumber };
}

export const approveInvoiceCommand = defineCommand({
  name: "invoice.approved",
  description: "A customer member approved an issued invoice (order, total and comment in the metadata).",
  access: { permission: "invoices:approve" },
  input: approveInvoiceSchema,
  run: (ctx, input) => decide(ctx, input, "approved"),
});

export const disputeInvoiceCommand = defineCommand({
  name: "invoice.disputed",
  description: "A customer member disputed an issued invoice, saying why (order, total and comment in the metadata).",
  access: { permission: "invoices:approve" },
  input: disputeInvoiceSchema,
  run: (ctx, input) => decide(ctx, input, "disputed"),
});
