/**
 * The period the overview's order figures cover: whole UTC weeks (Monday to Sunday), this one
 * so far included, because the rollup counts by week (ADR 0019).
 */
export interface OverviewWindow {
  /** First day, a Monday, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day (today), YYYY-MM-DD (UTC). */
  to: string;
  weeks: number;
}

export const OVERVIEW_WEEKS = 13;

/** The window ending today (UTC). `now` is a parameter so tests and the bench can pin it. */
export function overviewWindow(now: Date = new Date(), weeks = OVERVIEW_WEEKS): OverviewWindow {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const monday = new Date(today);
  monday.setUTCDate(today.getUTCDate() - ((today.getUTCDay() + 6) % 7) - 7 * (weeks - 1));
  return { from: dayText(monday), to: dayText(today), weeks };
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
