import { toQueryString } from "@/components/ui/query-string";
import type { AuditFilters } from "@/lib/audit/schemas";

/**
 * Downloads of the current filter. Plain links (not fetches), so the browser streams the file to
 * disk however large it is; the server records each export before it sends the first row.
 */
export function ExportLinks({ orgSlug, filters }: { orgSlug: string; filters: AuditFilters }) {
  const href = (format: string) => `/orgs/${orgSlug}/audit/export${toQueryString({ format, ...filters })}`;
  const link = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50";
  return (
    <div className="flex items-center gap-2 text-sm" role="group" aria-label="Export">
      <span className="text-slate-600">Export this filter:</span>
      <a className={link} href={href("csv")} download>
        CSV
      </a>
      <a className={link} href={href("jsonl")} download>
        JSON Lines
      </a>
    </div>
  );
}
