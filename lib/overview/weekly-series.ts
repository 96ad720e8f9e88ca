import type { CurrencyTotal, WeekBranchTotal } from "./order-figures";
import type { OverviewWindow } from "./overview-window";
import { dayText } from "./overview-window";

/** One line of the chart: a branch, or every other branch together. */
export interface SeriesKey {
  key: string;
  /** null for "Other branches". */
  branchId: string | null;
  name: string;
}

export interface WeekPoint {
  /** The Monday the week starts on. */
  week: string;
  /** Per series key: orders, and value in the chart's currency. */
  count: Record<string, number>;
  value: Record<string, number>;
}

export interface WeeklySeries {
  series: SeriesKey[];
  points: WeekPoint[];
  /** The currency with the most value in the window; the value chart shows it alone. */
  currency: string | null;
  /** Value per week in the other currencies (text only: amounts in different currencies never add up). */
  otherCurrencies: Array<{ week: string; totals: CurrencyTotal[] }>;
}

/** Branches drawn on their own; the rest are summed as "Other branches". */
export const CHART_BRANCHES = 5;

/**
 * The chart's data: every week of the window (empty ones too, so gaps show), the busiest
 * branches each as a series and the rest as one, counts in every currency and value in one.
 */
export function buildWeeklySeries(rows: WeekBranchTotal[], branchNames: Record<string, string>, window: OverviewWindow): WeeklySeries {
  const perBranch = new Map<string, number>();
  const perCurrency = new Map<string, number>();
  for (const r of rows) {
    perBranch.set(r.branchId, (perBranch.get(r.branchId) ?? 0) + r.count);
    perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0) + r.totalMinor);
  }
  const ranked = [...perBranch.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id]) => id);
  const drawn = ranked.slice(0, CHART_BRANCHES);
  const series: SeriesKey[] = drawn.map((id, i) => ({ key: `b${i}`, branchId: id, name: branchNames[id] ?? "Unknown branch" }));
  if (ranked.length > drawn.length) series.push({ key: "other", branchId: null, name: "Other branches" });
  const keyOf = new Map(drawn.map((id, i) => [id, `b${i}`]));
  const currency = [...perCurrency.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;

  const points = new Map<string, WeekPoint>(weeksOf(window).map((week) => [week, { week, count: zeros(series), value: zeros(series) }]));
  const others = new Map<string, Map<string, CurrencyTotal>>();
  for (const r of rows) {
    const point = points.get(r.week);
    if (!point) continue;
    const key = keyOf.get(r.branchId) ?? "other";
    point.count[key] = (point.count[key] ?? 0) + r.count;
    if (r.currency === currency) point.value[key] = (point.value[key] ?? 0) + r.totalMinor;
    else {
      const byCurrency = others.get(r.week) ?? new Map<string, CurrencyTotal>();
      const t = byCurrency.get(r.currency) ?? { currency: r.currency, count: 0, totalMinor: 0 };
      t.count += r.count;
      t.totalMinor += r.totalMinor;
      byCurrency.set(r.currency, t);
      others.set(r.week, byCurrency);
    }
  }
  return {
    series,
    points: [...points.values()],
    currency,
    otherCurrencies: [...others.entries()].map(([week, m]) => ({ week, totals: [...m.values()] })),
  };
}

/** The Mondays (UTC) of every week that overlaps the window, oldest first. */
export function weeksOf(window: OverviewWindow): string[] {
  const first = new Date(`${window.from}T00:00:00Z`);
  first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  const out: string[] = [];
  for (const d = first; dayText(d) <= window.to; d.setUTCDate(d.getUTCDate() + 7)) out.push(dayText(d));
  return out;
}

function zeros(series: SeriesKey[]): Record<string, number> {
  return Object.fromEntries(series.map((s) => [s.key, 0]));
}
