import Link from "next/link";
import { toQueryString } from "./query-string";

interface Props {
  base: string;
  /** The list's filters, kept on every link; the cursor parameters are added per link. */
  query: Record<string, string | number | undefined | null>;
  prevCursor: string | null;
  nextCursor: string | null;
  shown: number;
  noun: string;
  /** Words for the links, e.g. Newest / Newer / Older for a time-ordered trail. */
  labels?: { first: string; prev: string; next: string };
}

/** Keyset paging: previous/next by cursor, never offset or count, so page 10,000 costs what page 1 costs. */
export function KeysetPager({ base, query, prevCursor, nextCursor, shown, noun, labels = { first: "First page", prev: "Previous", next: "Next" } }: Props) {
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50";
  const off = "rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400";
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between">
      <p className="text-sm text-slate-600">{shown > 0 ? `Showing ${shown} ${noun}` : ""}</p>
      <div className="flex gap-2">
        {prevCursor ? (
          <>
            <Link className={link} href={base + toQueryString(query)}>
              {labels.first}
            </Link>
            <Link className={link} rel="prev" href={base + toQueryString({ ...query, before: prevCursor })}>
              {labels.prev}
            </Link>
          </>
        ) : (
          <span className={off} aria-disabled="true">
            {labels.prev}
          </span>
        )}
        {nextCursor ? (
          <Link className={link} rel="next" href={base + toQueryString({ ...query, cursor: nextCursor })}>
            {labels.next}
          </Link>
        ) : (
          <span className={off} aria-disabled="true">
            {labels.next}
          </span>
        )}
      </div>
    </nav>
  );
}
