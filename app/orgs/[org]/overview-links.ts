import { toQueryString } from "@/components/ui/query-string";
import type { OverviewWindow } from "@/lib/overview/overview-window";

/** The order list filtered to what a figure counted: the window (or a week of it) and the figure's own filter. */
export function ordersHref(org: string, window: OverviewWindow, filter: { status?: string; branch?: string; buyer?: string; from?: string; to?: string } = {}): string {
  return `/orgs/${org}/orders${toQueryString({ status: filter.status, branch: filter.branch, buyer: filter.buyer, from: filter.from ?? window.from, to: filter.to ?? window.to })}`;
}
