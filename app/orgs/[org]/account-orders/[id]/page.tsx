import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getSupplierOrder } from "@/lib/accounts/list-supplier-orders";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { formatDateTime, formatMoney } from "@/components/format";
import { OrderLinesTable } from "@/components/orders/order-lines-table";
import { StatusBadge } from "@/components/ui/status-badge";
import { requirePrincipal } from "../../../../load-viewer";
import { readSupplierPage } from "../../accounts/supplier-page";

export const metadata: Metadata = { title: "Account order" };

export default async function AccountOrderPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const principal = await requirePrincipal(org);
  const read = await readSupplierPage(principal, "orders:read", "account order", (tx, supplier) => getSupplierOrder(tx, supplier, id));
  if (!read.ok) {
    return (
      <PermissionNeeded title="Account order">
        <p className="font-medium">Orders across accounts need orders:read at the organization root.</p>
      </PermissionNeeded>
    );
  }
  const order = read.data ?? notFound();
  const money = (minor: number) => formatMoney(minor, order.currency);
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/orgs/${org}/account-orders`} className="text-sm text-brand-700 underline">
          ← Orders across accounts
        </Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-3 text-2xl font-semibold">
          Order {order.number} <StatusBadge status={order.status} />
        </h1>
      </div>
      <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
        {[
          ["Account", order.accountName],
          ["Branch", order.branchName],
          ["Placed", formatDateTime(order.placedAt)],
          ["Total", money(order.totalMinor)],
        ].map(([term, value]) => (
          <div key={term}>
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium">{value}</dd>
          </div>
        ))}
      </dl>
      <OrderLinesTable lines={order.lines} currency={order.currency} caption="Lines" />
    </div>
  );
}
