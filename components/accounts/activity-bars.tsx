import type { AccountSummary } from "@/lib/accounts/schemas";

const monthName = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });

/** Orders per month as small bars; the numbers themselves are in the title of each bar and in the label. */
export function ActivityBars({ months, label }: { months: AccountSummary["last12Months"]["months"]; label: string }) {
  const max = Math.max(1, ...months.map((m) => m.orderCount));
  const summary = months.map((m) => `${monthName.format(new Date(m.month))}: ${m.orderCount}`).join(", ");
  return (
    <span role="img" aria-label={`${label}. ${summary}`} className="inline-flex h-6 items-end gap-px">
      {months.map((m) => (
        <span key={m.month} title={`${monthName.format(new Date(m.month))}: ${m.orderCount} orders`} className="w-1.5 rounded-sm bg-brand-600" style={{ height: `${Math.max(2, Math.round((m.orderCount / max) * 24))}px`, opacity: m.orderCount ? 1 : 0.25 }} />
      ))}
    </span>
  );
}
