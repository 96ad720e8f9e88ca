import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readAs } from "@/lib/core/read-as";
import { recordOrderReadDenialIfHidden } from "@/lib/orders/record-order-read-denied";
import { getOrder } from "@/lib/orders/get-order";
import { formatDateTime, formatMoney } from "@/components/format";
import { StatusBadge } from "@/components/ui/status-badge";
import { OrderActionForm } from "@/components/orders/order-actions";
import { ApprovalHistory } from "@/components/orders/approval-history";
import { OrderLinesTable } from "@/components/orders/order-lines-table";
import { can } from "@/lib/access/access";
import { findBranch } from "@/lib/branches/find-branch";
import { actorUserId } from "@/lib/core/context";
import { loadRequestMeta, requirePrincipal } from "../../../../load-viewer";
import { approveOrderAction, cancelOrderAction, rejectOrderAction, submitOrderAction } from "../actions";

export const metadata: Metadata = { title: "Order" };

export default async function OrderPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const principal = await requirePrincipal(org);
  // Not visible and not existing look the same: a 404 either way.
  const order = await readAs(principal, (tx) => getOrder(tx, principal, id));
  if (!order) {
    await recordOrderReadDenialIfHidden(principal, await loadRequestMeta(), id, "dashboard");
    notFound();
  }
  const money = (minor: number) => formatMoney(minor, order.currency);
  // Which buttons to offer; each command checks again (scope, eligibility, status, version).
  const branch = await readAs(principal, (tx) => findBranch(tx, principal.org!.id, order.branchId));
  const path = branch?.path ?? "";
  const own = actorUserId(principal.actor) === order.buyerId;
  const mayOrder = can(principal.access, "orders:create", path);
  const waitingOrDraft = order.status === "draft" || order.status === "submitted";
  const mayCancel = (waitingOrDraft && ((own && mayOrder) || can(principal.access, "orders:cancel", path))) || (order.status === "approved" && can(principal.access, "orders:cancel", path));
  const mayDecide = order.status === "submitted" && can(principal.access, "orders:approve", path) && order.approvals.some((a) => a.status === "pending" && a.waitingSince);
  const bind = <A extends unknown[], R>(fn: (org: string, id: string, ...rest: A) => R) => fn.bind(null, org, order.id) as (...rest: A) => R;
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/orgs/${org}/orders`} className="text-sm text-brand-700 underline">
          ← All orders
        </Link>
        <h1 className="mt-2 flex items-center gap-3 text-2xl font-semibold">
          Order {order.number} <StatusBadge status={order.status} />
        </h1>
      </div>
      <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
        {[
          ["Branch", order.branchName],
          ["Buyer", `${order.buyerName} (${order.buyerEmail})`],
          [order.status === "draft" ? "Created" : "Placed", formatDateTime(order.placedAt)],
          ["Total", money(order.totalMinor)],
          ["Ship to", order.shipTo ? `${order.shipTo.label}, ${order.shipTo.lines.join(", ")}, ${order.shipTo.city} ${order.shipTo.postalCode} ${order.shipTo.country}` : "Not chosen yet"],
          ["Requested delivery", order.requestedDeliveryDate ?? "Not set"],
          ["Note", order.note || "None"],
          ...(order.baseTotalMinor !== null && order.baseCurrency && order.baseCurrency !== order.currency ? [["Total in base currency", formatMoney(order.baseTotalMinor, order.baseCurrency)]] : []),
        ].map(([term, value]) => (
          <div key={term}>
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium">{value}</dd>
          </div>
        ))}
      </dl>
      {order.status === "draft" || mayCancel || mayDecide ? (
        <section aria-labelledby="actions-heading" className="space-y-2">
          <h2 id="actions-heading" className="text-lg font-medium">
            Actions
          </h2>
          <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap">
            {order.status === "draft" && mayOrder ? <OrderActionForm action={bind(submitOrderAction)} label="Submit for approval" version={order.version} done="Submitted." /> : null}
            {mayDecide ? <OrderActionForm action={bind(approveOrderAction)} label="Approve" version={order.version} comment done="Approved." /> : null}
            {mayDecide ? <OrderActionForm action={bind(rejectOrderAction)} label="Reject" version={order.version} comment variant="secondary" done="Rejected." /> : null}
            {mayCancel ? <OrderActionForm action={bind(cancelOrderAction)} label="Cancel order" version={order.version} comment variant="secondary" done="Cancelled." /> : null}
          </div>
        </section>
      ) : null}
      <ApprovalHistory approvals={order.approvals} status={order.status} />
      <section aria-labelledby="lines-heading">
        <h2 id="lines-heading" className="text-lg font-medium">
          Lines
        </h2>
        <OrderLinesTable
          lines={order.lines}
          currency={order.currency}
          footer={
            <>
              <tr>
                <td colSpan={5} className="px-3 py-1 text-right text-slate-600">Subtotal</td>
                <td className="px-3 py-1 text-right tabular-nums">{money(order.subtotalMinor)}</td>
              </tr>
              <tr>
                <td colSpan={5} className="px-3 py-1 text-right text-slate-600">Tax</td>
                <td className="px-3 py-1 text-right tabular-nums">{money(order.taxMinor)}</td>
              </tr>
              <tr>
                <td colSpan={5} className="px-3 py-1 text-right font-medium">Total</td>
                <td className="px-3 py-1 text-right font-semibold tabular-nums">{money(order.totalMinor)}</td>
              </tr>
            </>
          }
        />
      </section>
    </div>
  );
}
