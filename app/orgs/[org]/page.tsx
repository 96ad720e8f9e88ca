import Link from "next/link";
import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { countOrdersByStatus, sumRecentOrderValue } from "@/lib/orders/summarize-orders";
import { orderStatuses } from "@/lib/orders/schemas";
import { formatMoney } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePrincipal } from "../../load-viewer";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const [counts, recent] = await readAs(principal, (tx) => Promise.all([countOrdersByStatus(tx, principal), sumRecentOrderValue(tx, principal)]));
  const total = counts.reduce((n, c) => n + c.count, 0);
  const grants = principal.access.kind === "grants" ? principal.access.grants : [];
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{principal.org?.name}</h1>
      {total === 0 ? (
        <EmptyState title="No orders you can see yet">Orders appear here once they are placed in a branch your role covers.</EmptyState>
      ) : (
        <section aria-labelledby="orders-heading" className="space-y-3">
          <h2 id="orders-heading" className="text-lg font-medium">
            Orders you can see: <span data-testid="visible-order-count">{total}</span>
          </h2>
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {orderStatuses.map((status) => (
              <li key={status}>
                <Link href={`/orgs/${org}/orders?status=${status}`} className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-600">
                  <span className="block text-sm text-slate-600 capitalize">{status}</span>
                  <span className="text-2xl font-semibold">{counts.find((c) => c.status === status)?.count ?? 0}</span>
                </Link>
              </li>
            ))}
          </ul>
          {recent.length > 0 ? (
            <p className="text-sm text-slate-600">
              Last 30 days: {recent.map((r) => formatMoney(r.totalMinor, r.currency)).join(" · ")}
            </p>
          ) : null}
        </section>
      )}
      <section aria-labelledby="access-heading">
        <h2 id="access-heading" className="text-lg font-medium">
          Your access
        </h2>
        <ul className="mt-2 list-disc pl-5 text-sm text-slate-700">
          {grants.map((g) => (
            <li key={g.grantId}>
              {g.roleName} {g.branchPath === "" ? "across the whole organization" : "for one part of the branch tree"}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
