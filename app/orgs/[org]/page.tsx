import type { Metadata } from "next";
import { readAs } from "@/lib/core/read-as";
import { describeAccess } from "@/lib/overview/describe-access";
import { loadOrderOverview } from "@/lib/overview/load-order-overview";
import { overviewWindow } from "@/lib/overview/overview-window";
import { countPeople } from "@/lib/overview/people-figures";
import { listRecentActivity } from "@/lib/overview/recent-activity";
import { buildWeeklySeries } from "@/lib/overview/weekly-series";
import { requirePrincipal } from "../../load-viewer";
import { OverviewActivity } from "./overview-activity";
import { OverviewOrders } from "./overview-orders";
import { OverviewPeople } from "./overview-people";

export const metadata: Metadata = { title: "Overview" };

/**
 * The org's home: what is being ordered, who is in the organization and what happened lately,
 * each part only for a member who may read it (no part asks and is refused), scoped like its list.
 */
export default async function OverviewPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const window = overviewWindow();
  const { orders, people, activity } = await readAs(principal, async (tx) => ({
    orders: await loadOrderOverview(tx, principal, window),
    people: await countPeople(tx, principal),
    activity: await listRecentActivity(tx, principal),
  }));
  const access = describeAccess(principal.access);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold break-words">{principal.org?.name}</h1>
        <p className="text-sm text-slate-600">
          Figures from {window.from} to {window.to} (UTC), for what your access covers.
        </p>
      </div>
      {orders ? <OverviewOrders org={org} overview={orders} weekly={buildWeeklySeries(orders.weeks, orders.branchNames, window)} /> : null}
      {people ? <OverviewPeople org={org} counts={people} /> : null}
      {activity ? <OverviewActivity org={org} events={activity} /> : null}
      <section aria-labelledby="access-heading">
        <h2 id="access-heading" className="text-lg font-medium">
          Your access
        </h2>
        {access.length === 0 ? (
          <p className="mt-2 text-sm text-slate-700">You hold no role here yet. An administrator of this organization can give you one.</p>
        ) : (
          <ul className="mt-2 list-disc pl-5 text-sm text-slate-700" data-testid="your-access">
            {access.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
