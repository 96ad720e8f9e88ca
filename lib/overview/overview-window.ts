/** The period the overview's order figures cover: the last `days` UTC days, today included. */
export interface OverviewWindow {
  /** First day, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day (today), YYYY-MM-DD (UTC). */
  to: string;
  days: number;
}

export const OVERVIEW_DAYS = 90;

/** The window ending today (UTC). `now` is a parameter so tests and the bench can pin it. */
export function overviewWindow(now: Date = new Date(), days = OVERVIEW_DAYS): OverviewWindow {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - (days - 1) * 86_400_000);
  return { from: dayText(from), to: dayText(new Date(today)), days };
}

export function dayText(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The days of `week` (a Monday) that lie inside the window. */
export function weekWithin(week: string, window: OverviewWindow): { from: string; to: string } {
  const end = new Date(`${week}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 6);
  const last = end.toISOString().slice(0, 10);
  return { from: week < window.from ? window.from : week, to: last > window.to ? window.to : last };
}
