import { toQueryString } from "@/components/ui/query-string";

/**
 * "Download CSV" of the list as filtered now: a plain link (not a fetch), so the browser streams
 * the file to disk however long the list; the server records the export before the first row.
 */
export function DownloadCsvLink({ href, filters }: { href: string; filters: Record<string, string | number | undefined | null> }) {
  return (
    <a href={`${href}${toQueryString(filters)}`} download className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
      Download CSV
    </a>
  );
}
