import Link from "next/link";
import { formatMoney } from "@/components/format";
import type { OverviewWindow } from "@/lib/overview/overview-window";
import type { WeeklySeries } from "@/lib/overview/weekly-series";
import { weekWithin } from "@/lib/overview/overview-window";
import { ordersHref } from "./overview-links";

interface Props {
  org: string;
  caption: string;
  data: WeeklySeries;
  window: OverviewWindow;
  /** "count": orders per cell; "value": the value in data.currency. */
  measure: "count" | "value";
}

/** The chart's figures as a table, each linking to the orders it counts; it scrolls on its own on a phone. */
export function OverviewWeekTable({ org, caption, data, window, measure }: Props) {
  const show = (n: number) => (measure === "value" && data.currency ? formatMoney(n, data.currency) : n.toLocaleString("en-US"));
  const cell = "px-3 py-1.5 text-right tabular-nums whitespace-nowrap";
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label={caption}>
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            <th scope="col" className="sticky left-0 bg-slate-50 px-3 py-1.5 font-medium">
              Week of
            </th>
            {data.series.map((s) => (
              <th key={s.key} scope="col" className="px-3 py-1.5 text-right font-medium whitespace-nowrap">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.points.map((p) => {
            const values = measure === "count" ? p.count : p.value;
            const days = weekWithin(p.week, window);
            return (
              <tr key={p.week} className="border-t border-slate-100">
                <th scope="row" className="sticky left-0 bg-white px-3 py-1.5 text-left font-normal whitespace-nowrap">
                  {days.from}
                </th>
                {data.series.map((s) => (
                  <td key={s.key} className={cell}>
                    {s.branchId && (values[s.key] ?? 0) > 0 ? (
                      <Link href={ordersHref(org, window, { branch: s.branchId, ...days })} className="text-brand-700 underline-offset-2 hover:underline">
                        {show(values[s.key] ?? 0)}
                      </Link>
                    ) : (
                      show(values[s.key] ?? 0)
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
