import Link from "next/link";

interface Props {
  /** Builds the link for a page: the cursor params come in, the caller keeps its filters. */
  hrefFor(cursor: { cursor?: string; before?: string }): string;
  prevCursor: string | null;
  nextCursor: string | null;
  shown: number;
  noun: string;
  label?: string;
}

/** Keyset paging: previous/next by cursor, so the ten-thousandth page costs what the first does. */
export function KeysetPager({ hrefFor, prevCursor, nextCursor, shown, noun, label = "Pagination" }: Props) {
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50";
  const off = "rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-400";
  return (
    <nav aria-label={label} className="flex items-center justify-between">
      <p className="text-sm text-slate-600">{shown > 0 ? `Showing ${shown} ${noun}` : ""}</p>
      <div className="flex gap-2">
        {prevCursor ? (
          <>
            <Link className={link} href={hrefFor({})}>
              First page
            </Link>
            <Link className={link} rel="prev" href={hrefFor({ before: prevCursor })}>
              Previous
            </Link>
          </>
        ) : (
          <span className={off} aria-disabled="true">
            Previous
          </span>
        )}
        {nextCursor ? (
          <Link className={link} rel="next" href={hrefFor({ cursor: nextCursor })}>
            Next
          </Link>
        ) : (
          <span className={off} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
