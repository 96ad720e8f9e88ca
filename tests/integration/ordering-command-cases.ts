import { runCommand } from "@/lib/core/command";
import { draftOrderCommand } from "@/lib/orders/draft-order";
import { editDraftCommand } from "@/lib/orders/edit-draft";
import { submitOrderCommand } from "@/lib/orders/submit-order";
import { cancelOrderCommand } from "@/lib/orders/cancel-order";
import { approveOrderCommand, rejectOrderCommand } from "@/lib/orders/decide-order";
import { createApprovalRuleCommand, deleteApprovalRuleCommand, updateApprovalRuleCommand } from "@/lib/approvals/approval-rule-commands";
import { escalateApprovalCommand } from "@/lib/approvals/escalate-approval";
import { meta } from "../support/factories";
import { makeSupplier } from "../support/supplier-factories";
import { issueInvoiceCommand } from "@/lib/invoices/issue-invoice";
import { approveInvoiceCommand, disputeInvoiceCommand } from "@/lib/invoices/decide-invoice";
import { createDelegationCommand } from "@/lib/approvals/create-delegation";
import { endDelegationCommand } from "@/lib/approvals/end-delegation";
import { buildOrderingWorld, type OrderingWorld } from "./ordering-world";
import { roleIdOf } from "./ordering-world";

/**
 * The ordering commands for the commands-audit table, each run once. The world is built on
 * first use, after the table's own first entries (the supplier's creation must come first).
 */
export function orderingCommandCases(): Record<string, () => Promise<unknown>> {
  let world: Promise<OrderingWorld> | null = null;
  let delegations = 0;
  const w = () => (world ??= buildOrderingWorld());
  const draft = async () => {
    const x = await w();
    return runCommand(draftOrderCommand, x.members.buyer.principal, meta, { branchId: x.branches.chicago.id, lines: [{ sku: x.products.widget.sku, quantity: 1 }] });
  };
  // Over USD 100 in Chicago needs a Manager (a rule made once, the first time it is needed).
  let rule: Promise<unknown> | null = null;
  const waiting = async () => {
    const x = await w();
    rule ??= roleIdOf(x.org.id, "Manager").then((manager) => runCommand(createApprovalRuleCommand, x.org.operator, meta, { name: "Chicago over 100", branchId: x.branches.chicago.id, overTotalMinor: 100_00, tiers: [[[manager]]] }));
    await rule;
    const order = await runCommand(draftOrderCommand, x.members.buyer.principal, meta, { branchId: x.branches.chicago.id, lines: [{ sku: x.products.widget.sku, quantity: 5 }] });
    await runCommand(submitOrderCommand, x.members.buyer.principal, meta, { orderId: order.id });
    return order;
  };
  const newRule = async () => {
    const x = await w();
    return runCommand(createApprovalRuleCommand, x.org.operator, meta, { name: "Audit case", branchId: null, overTotalMinor: 1_000_000_00, tiers: [[[await roleIdOf(x.org.id, "Admin")]]] });
  };
  return {
    "approval-rule.updated": async () => runCommand(updateApprovalRuleCommand, (await w()).org.operator, meta, { ruleId: (await newRule()).id, name: "Renamed" }),
    "approval-rule.deleted": async () => runCommand(deleteApprovalRuleCommand, (await w()).org.operator, meta, { ruleId: (await newRule()).id }),
    "order.drafted": draft,
    "order.draft.updated": async () => runCommand(editDraftCommand, (await w()).members.buyer.principal, meta, { orderId: (await draft()).id, note: "edited" }),
    "order.submitted": async () => runCommand(submitOrderCommand, (await w()).members.buyer.principal, meta, { orderId: (await draft()).id }),
    "order.cancelled": async () => runCommand(cancelOrderCommand, (await w()).members.buyer.principal, meta, { orderId: (await draft()).id }),
    "order.approval.approved": async () => runCommand(approveOrderCommand, (await w()).members.manager.principal, meta, { orderId: (await waiting()).id }),
    "order.approval.rejected": async () => runCommand(rejectOrderCommand, (await w()).members.manager.principal, meta, { orderId: (await waiting()).id, comment: "no" }),
    "approval-rule.created": newRule,
    "order.approval.escalated": async () => {
      const x = await w();
      const order = await waiting();
      const { asOperator } = await import("../support/as-operator");
      const { approvalSteps } = await import("@/db/schema");
      const { eq } = await import("drizzle-orm");
      const [step] = await asOperator((tx) => tx.select({ id: approvalSteps.id }).from(approvalSteps).where(eq(approvalSteps.orderId, order.id)));
      return runCommand(escalateApprovalCommand, x.org.operator, meta, { stepId: step!.id });
    },
    // Invoices: the supplier's operator issues one for a placed order (no rule here: placed at once).
    "invoice.issued": async () => issue(),
    "invoice.approved": async () => runCommand(approveInvoiceCommand, (await w()).members.manager.principal, meta, { invoiceId: (await issue()).id }),
    "invoice.disputed": async () => runCommand(disputeInvoiceCommand, (await w()).members.manager.principal, meta, { invoiceId: (await issue()).id, comment: "wrong" }),
    // Delegates: the manager names the admin, then ends it.
    "approval.delegation.created": async () => delegate(),
    "approval.delegation.ended": async () => runCommand(endDelegationCommand, (await w()).members.manager.principal, meta, { delegationId: (await delegate()).id }),
  };
  // One widget (USD 100) is not over the Chicago rule's 100: submitting places it at once.
  async function issue() {
    const x = await w();
    const placed = await draft();
    await runCommand(submitOrderCommand, x.members.buyer.principal, meta, { orderId: placed.id });
    return runCommand(issueInvoiceCommand, (await makeSupplier()).operator, meta, { orderId: placed.id });
  }
  async function delegate() {
    const x = await w();
    const start = Date.now() + 86_400_000 * (1 + delegations++ * 2);
    return runCommand(createDelegationCommand, x.members.manager.principal, meta, { delegateMembershipId: x.members.admin.membershipId, startsAt: new Date(start), endsAt: new Date(start + 86_400_000) });
  }
}
