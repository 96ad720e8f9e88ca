import Link from "next/link";
import { formatMoney } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import { StatusBadge } from "@/components/ui/status-badge";
import type { CurrencyTotal } from "@/lib/overview/order-figures";
import type { OrderOverview, RankedRow } from "@/lib/overview/load-order-overview";
import { orderStatuses } from "@/lib/orders/schemas";
import type { WeeklySeries } from "@/lib/overview/weekly-series";
import { OverviewChart } from "./overview-chart";
import { ordersHref } from "./overview-links";
import { OverviewWeekTable } from "./overview-week-table";

interface Props {
  org: string;
  overview: OrderOverview;
  weekly: WeeklySeries;
}

const card = "block rounded-lg border border-slate-200 bg-white p-4 hover:border-brand-600 focus-visible:border-brand-600";

/** The Orders part of the overview: every figure links to the orders (or approvals) it counts. */
export function OverviewOrders({ org, overview, weekly }: Props) {
  const { window } = overview;
  const byCurrency = sumByCurrency(overview.statuses);
  const total = byCurrency.reduce((n, t) => n + t.count, 0);
  return (
    <section aria-labelledby="orders-heading" className="space-y-4">
      <h2 id="orders-heading" className="text-lg font-medium">
        Orders, last {window.weeks} weeks
      </h2>
      <ul className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <li>
          <Link href={ordersHref(org, window)} className={card}>
            <span className="block text-sm text-slate-600">Orders placed</span>
            <span className="text-2xl font-semibold" data-testid="visible-order-count">
              {total.toLocaleString("en-US")}
            </span>
          </Link>
        </li>
        <li>
          <Link href={ordersHref(org, window)} className={card}>
            <span className="block text-sm text-slate-600">Value</span>
            <span className="block text-lg font-semibold break-words">{byCurrency.length ? money(byCurrency) : "None"}</span>
          </Link>
        </li>
        {overview.waiting ? (
          <li>
            <Link href={`/orgs/${org}/approvals`} className={card}>
              <span className="block text-sm text-slate-600">Waiting for your approval</span>
              <span className="text-2xl font-semibold" data-testid="waiting-approval-count">
                {overview.waiting.count}
                {overview.waiting.more ? "+" : ""}
              </span>
            </Link>
          </li>
        ) : null}
      </ul>
      {total === 0 ? (
        <EmptyState title={`No orders you can see in the last ${window.weeks} weeks`}>Orders appear here once they are placed in a branch your role covers.</EmptyState>
      ) : (
        <>
          <OrdersOverTime org={org} overview={overview} weekly={weekly} />
          <StatusBreakdown org={org} overview={overview} />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <TopList title="Top buyers" rows={overview.topBuyers} href={(id) => ordersHref(org, window, { buyer: id })} />
            <TopList title="Top branches" rows={overview.topBranches} href={(id) => ordersHref(org, window, { branch: id })} />
          </div>
        </>
      )}
    </section>
  );
}

function OrdersOverTime({ org, overview, weekly }: Props) {
  const points = (measure: "count" | "value") => weekly.points.map((p) => ({ week: p.week, values: measure === "count" ? p.count : p.value }));
  return (
    <div className="space-y-4">
      <div className="space-y-2">
        <h3 className="font-medium">Orders per week, by branch</h3>
        <OverviewChart label="Bar chart of orders per week, stacked by branch. The table below has the same figures." series={weekly.series} points={points("count")} />
        <OverviewWeekTable org={org} caption="Orders per week, by branch" data={weekly} window={overview.window} measure="count" />
      </div>
      {weekly.currency ? (
        <div className="space-y-2">
          <h3 className="font-medium">Value per week, in {weekly.currency}</h3>
          <OverviewChart label={`Bar chart of order value in ${weekly.currency} per week, stacked by branch. The table below has the same figures.`} series={weekly.series} points={points("value")} currency={weekly.currency} />
          <OverviewWeekTable org={org} caption={`Value per week in ${weekly.currency}, by branch`} data={weekly} window={overview.window} measure="value" />
          {weekly.otherCurrencies.length > 0 ? (
            <p className="text-sm text-slate-600">
              Also in other currencies: {weekly.otherCurrencies.map((w) => `week of ${w.week}: ${money(w.totals)}`).join("; ")}.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function StatusBreakdown({ org, overview }: { org: string; overview: OrderOverview }) {
  return (
    <div className="space-y-2">
      <h3 className="font-medium">By status</h3>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {orderStatuses.map((status) => {
          const rows = overview.statuses.filter((s) => s.status === status);
          const count = rows.reduce((n, r) => n + r.count, 0);
          return (
            <li key={status}>
              <Link href={ordersHref(org, overview.window, { status })} className={card} data-testid={`status-${status}`}>
                <StatusBadge status={status} />
                <span className="mt-1 block text-2xl font-semibold">{count.toLocaleString("en-US")}</span>
                {rows.length ? <span className="block text-xs break-words text-slate-600">{money(rows)}</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function TopList({ title, rows, href }: { title: string; rows: RankedRow[]; href: (id: string) => string }) {
  return (
    <div className="space-y-2">
      <h3 className="font-medium">{title}</h3>
      <ol className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {rows.map((r) => (
          <li key={r.id} className="flex flex-wrap items-baseline justify-between gap-x-3 px-3 py-2 text-sm">
            <Link href={href(r.id)} className="font-medium break-words text-brand-700 underline-offset-2 hover:underline">
              {r.name}
            </Link>
            <span className="text-slate-600 tabular-nums">
              {r.count.toLocaleString("en-US")} {r.count === 1 ? "order" : "orders"} · {money(r.totals)}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function sumByCurrency(rows: CurrencyTotal[]): CurrencyTotal[] {
  const out = new Map<string, CurrencyTotal>();
  for (const r of rows) {
    const t = out.get(r.currency) ?? { currency: r.currency, count: 0, totalMinor: 0 };
    t.count += r.count;
    t.totalMinor += r.totalMinor;
    out.set(r.currency, t);
  }
  return [...out.values()];
}

function money(totals: CurrencyTotal[]): string {
  return totals.map((t) => formatMoney(t.totalMinor, t.currency)).join(" · ");
}
