import Link from "next/link";
import { toQueryString } from "@/components/orders/query-string";

interface Props {
  base: string;
  query: Record<string, string | number | undefined>;
  prevCursor: string | null;
  nextCursor: string | null;
  shown: number;
}

/** Keyset paging through the trail: newer and older pages by cursor, never by offset or count. */
export function AuditPager({ base, query, prevCursor, nextCursor, shown }: Props) {
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50";
  const off = "rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400";
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between">
      <p className="text-sm text-slate-600">{shown > 0 ? `Showing ${shown} events` : ""}</p>
      <div className="flex gap-2">
        {prevCursor ? (
          <>
            <Link className={link} href={base + toQueryString(query)}>
              Newest
            </Link>
            <Link className={link} rel="prev" href={base + toQueryString({ ...query, before: prevCursor })}>
              Newer
            </Link>
          </>
        ) : (
          <span className={off} aria-disabled="true">
            Newer
          </span>
        )}
        {nextCursor ? (
          <Link className={link} rel="next" href={base + toQueryString({ ...query, cursor: nextCursor })}>
            Older
          </Link>
        ) : (
          <span className={off} aria-disabled="true">
            Older
          </span>
        )}
      </div>
    </nav>
  );
}
