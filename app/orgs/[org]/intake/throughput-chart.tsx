"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ThroughputBucket } from "@/lib/intake/process/list-channel-throughput";

// Distinguishable in colour and in greyscale; the legend and the table name each one too.
const SERIES = [
  { key: "processed", name: "Processed", fill: "#0f766e" },
  { key: "held", name: "Held", fill: "#b45309" },
  { key: "failed", name: "Failed", fill: "#be123c" },
] as const;

// UTC on both the server's render and the browser's, so the hours never disagree on hydration.
const hourLabel = (iso: string) => `${iso.slice(11, 13)}:00`;

/**
 * One channel's documents per hour over the last 24 hours, stacked by outcome. The drawing is one
 * image to assistive technology (a summary as its label, no keyboard focus); the figures behind it
 * are in a visually hidden table, one row per hour that had documents.
 */
export function ThroughputChart({ channelName, buckets }: { channelName: string; buckets: ThroughputBucket[] }) {
  const totals = buckets.reduce((t, b) => ({ processed: t.processed + b.processed, held: t.held + b.held, failed: t.failed + b.failed }), { processed: 0, held: 0, failed: 0 });
  const busy = buckets.filter((b) => b.processed + b.held + b.failed > 0);
  if (busy.length === 0) return <p className="mt-3 rounded-md border border-dashed border-slate-300 px-3 py-4 text-center text-slate-600">No documents in the last 24 hours</p>;
  const peak = busy.reduce((a, b) => (b.processed + b.held + b.failed > a.processed + a.held + a.failed ? b : a));
  const summary = `Documents per hour over the last 24 hours for ${channelName}: ${totals.processed} processed, ${totals.held} held, ${totals.failed} failed; busiest hour ${hourLabel(peak.hour)} UTC with ${peak.processed + peak.held + peak.failed}.`;
  return (
    <figure className="relative mt-3 min-w-0">
      <div role="img" aria-label={summary} className="h-44 w-full min-w-0">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={buckets.map((b) => ({ ...b, label: hourLabel(b.hour) }))} accessibilityLayer={false} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 10 }} interval="preserveStartEnd" minTickGap={12} />
            <YAxis tick={{ fontSize: 10 }} width={32} allowDecimals={false} />
            <Tooltip labelFormatter={(l) => `${String(l)} UTC`} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.name} stackId="hour" fill={s.fill} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-slate-500">Documents per hour, last 24 hours (UTC)</figcaption>
      {/* sr-only on a wrapper, not the table: a table ignores the 1 px width and would widen the page. */}
      <div className="sr-only">
      <table>
        <caption>Documents per hour for {channelName}, last 24 hours</caption>
        <thead>
          <tr><th scope="col">Hour (UTC)</th>{SERIES.map((s) => <th key={s.key} scope="col">{s.name}</th>)}</tr>
        </thead>
        <tbody>
          {busy.map((b) => (
            <tr key={b.hour}><th scope="row">{hourLabel(b.hour)}</th><td>{b.processed}</td><td>{b.held}</td><td>{b.failed}</td></tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
