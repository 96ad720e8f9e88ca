import { and, asc, eq } from "drizzle-orm";
import { approvalSteps, orderLines, orders } from "@/db/schema";
import { convertToBaseMinor, loadAccountTerms } from "@/lib/accounts/account-terms";
import { categoriesOf, loadRulesFor, rolesHeldAt } from "@/lib/approvals/load-rules";
import { matchRules, planSteps } from "@/lib/approvals/routing";
import { defineCommand, notFound } from "@/lib/core/command";
import { ConflictError, ValidationError } from "@/lib/core/errors";
import { orderActionSchema } from "./draft-schemas";
import { priceOrderLines } from "@/lib/catalog/price-order-lines";
import { bumpVersion, lockOrder } from "./order-draft-parts";
import { assertMayChangeDraft } from "./order-permissions";

export interface SubmitOutcome {
  order: typeof orders.$inferSelect;
  outcome: "approved" | "waiting";
  /** The steps now waiting (the first tier), whose approvers are told by mail. */
  waitingStepIds: string[];
}

/**
 * Submits a draft. Its lines are priced again (a product may have gone inactive or changed
 * price since the draft), the total is converted to the account's base currency, and the rules
 * at its branch and above decide: none matches, the order is approved (placed); else their
 * tiers become approval steps and the first tier waits.
 */
export const submitOrderCommand = defineCommand({
  name: "order.submitted",
  description: "A draft order was submitted: the rules that matched, the tiers waiting and the outcome (approved at once, or waiting) in the metadata.",
  access: { permission: "orders:create" },
  input: orderActionSchema,
  async run(ctx, input): Promise<{ result: SubmitOutcome; target: { type: string; id: string }; branchId: string; metadata: Record<string, unknown> }> {
    const { tx, principal } = ctx;
    const orgId = principal.org?.id ?? notFound("Organization");
    const order = await lockOrder(tx, orgId, input.orderId, input.version);
    assertMayChangeDraft(ctx, order);
    if (order.status !== "draft") throw new ConflictError(`Only a draft can be submitted; this order is ${order.status}.`, "status");
    if (!order.shipTo) throw new ValidationError({ shipToAddressId: ["is required to submit: the branch has no ship-to address chosen for this order"] });

    // The lines, the account's terms and the rules above the branch do not depend on each other:
    // sent together, in one round trip (postgres.js pipelines a transaction's queries).
    const [current, terms, rules] = await Promise.all([
      tx
        .select({ sku: orderLines.sku, quantity: orderLines.quantity, unitPriceMinor: orderLines.unitPriceMinor })
        .from(orderLines)
        .where(and(eq(orderLines.orgId, orgId), eq(orderLines.orderId, order.id)))
        .orderBy(asc(orderLines.lineNo)),
      loadAccountTerms(tx, orgId),
      loadRulesFor(tx, orgId, order.branchPath),
    ]);
    const priced = await priceOrderLines(tx, { accountOrgId: orgId, currency: order.currency, lines: current.map((l) => ({ sku: l.sku, quantity: l.quantity })) }, { terms });
    const baseTotalMinor = terms ? convertToBaseMinor(terms, priced.subtotalMinor, priced.currency) : null;
    if (!terms || baseTotalMinor === null) throw new ValidationError({ currency: [`${order.currency} is not a currency this account uses`] });

    const matches = matchRules(rules, {
      branchPath: order.branchPath,
      baseTotalMinor,
      baseCurrency: terms.baseCurrency,
      lineCount: priced.lines.length,
      skus: priced.lines.map((l) => l.sku),
      categories: categoriesOf(priced.lines),
      requesterRoleIds: rolesHeldAt(principal.access, order.branchPath),
    });
    const steps = planSteps(matches);
    const approved = steps.length === 0;

    // The lines are rewritten only when a price moved since the draft (the common case is none).
    const repriced = priced.lines.some((l, i) => l.unitPriceMinor !== current[i]?.unitPriceMinor || l.sku !== current[i]?.sku);
    if (repriced) {
      await tx.delete(orderLines).where(and(eq(orderLines.orgId, orgId), eq(orderLines.orderId, order.id)));
      await tx.insert(orderLines).values(
        priced.lines.map((l) => ({ orgId, orderId: order.id, lineNo: l.lineNo, productId: l.productId, sku: l.sku, description: l.name, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, totalMinor: l.totalMinor })),
      );
    }
    const [updated] = await tx
      .update(orders)
      .set({ status: approved ? "approved" : "submitted", subtotalMinor: priced.subtotalMinor, totalMinor: priced.subtotalMinor, taxMinor: 0, baseTotalMinor, baseCurrency: terms.baseCurrency, submittedAt: new Date(), placedAt: new Date(), ...bumpVersion() })
      .where(eq(orders.id, order.id))
      .returning();
    const inserted = steps.length
      ? await tx
          .insert(approvalSteps)
          .values(steps.map((s) => ({ orgId, orderId: order.id, ruleId: s.ruleId, ruleName: s.ruleName, tierNo: s.tierNo, groupNo: s.groupNo, roleIds: s.roleIds, selfApprovalLimits: s.selfApprovalLimits, escalateAfterHours: s.escalateAfterHours, levelBranchId: order.branchId, waitingSince: s.tierNo === 1 ? new Date() : null })))
          .returning({ id: approvalSteps.id, tierNo: approvalSteps.tierNo })
      : [];
    return {
      result: { order: updated!, outcome: approved ? "approved" : "waiting", waitingStepIds: inserted.filter((s) => s.tierNo === 1).map((s) => s.id) },
      target: { type: "order", id: order.id },
      branchId: order.branchId,
      metadata: {
        repriced,
        after: { status: updated!.status, totalMinor: updated!.totalMinor, currency: updated!.currency, baseTotalMinor, baseCurrency: terms.baseCurrency },
        rules: matches.filter((m) => m.matched).map((m) => ({ id: m.rule.id, name: m.rule.name })),
        tiers: Math.max(0, ...steps.map((s) => s.tierNo)),
        comment: input.comment ?? null,
      },
    };
  },
});
