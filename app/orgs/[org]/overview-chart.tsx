"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney } from "@/components/format";

interface Props {
  /** Says what the chart shows, for screen readers (the table beside it has the figures). */
  label: string;
  series: Array<{ key: string; name: string }>;
  points: Array<{ week: string; values: Record<string, number> }>;
  /** Values are minor units of this currency; counts when absent. */
  currency?: string;
}

// Distinguishable in colour and in greyscale; the legend and the table name each one too.
const COLOURS = ["#1d4ed8", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#475569"];

/**
 * Stacked weekly bars per branch. Drawing only: the figures, with links to the orders behind
 * them, are in the table that follows it, so the chart is one image to assistive technology and
 * takes no keyboard focus.
 */
export function OverviewChart({ label, series, points, currency }: Props) {
  const data = points.map((p) => ({ week: shortWeek(p.week), ...p.values }));
  const format = (v: number) => (currency ? formatMoney(v, currency) : v.toLocaleString("en-US"));
  return (
    <div role="img" aria-label={label} className="h-64 w-full min-w-0">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} accessibilityLayer={false} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="week" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
          <YAxis tick={{ fontSize: 11 }} width={currency ? 72 : 40} tickFormatter={format} allowDecimals={false} />
          <Tooltip formatter={(v) => format(Number(v))} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="weeks" fill={COLOURS[i % COLOURS.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function shortWeek(day: string): string {
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}
