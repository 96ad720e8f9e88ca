import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { readAs } from "@/lib/core/read-as";
import { getMemberImport, listMemberImportRows } from "@/lib/identity/import/read-member-imports";
import { requirePrincipal } from "../../../../../load-viewer";
import { applyMemberImportBatchAction } from "../actions";
import { ApplyImport } from "@/components/ui/apply-import";

export const metadata: Metadata = { title: "Members import" };

export default async function MemberImportPreviewPage({ params, searchParams }: { params: Promise<{ org: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org, id } = await params;
  const afterText = (await searchParams).after;
  const after = Number(typeof afterText === "string" ? afterText : 0);
  const principal = await requirePrincipal(org);
  const read = await readAs(principal, async (tx) => {
    const summary = await getMemberImport(tx, principal, id);
    return summary ? { summary, errors: await listMemberImportRows(tx, principal.org!.id, id, { onlyErrors: true, afterRowNo: Number.isSafeInteger(after) && after > 0 ? after : 0, limit: 100 }) } : null;
  });
  if (!read) notFound();
  const { summary, errors } = read;
  const base = `/orgs/${org}/users/import/${id}`;
  const last = errors[errors.length - 1];
  return (
    <div className="space-y-6">
      <Link href={`/orgs/${org}/users/import`} className="text-sm text-brand-700 underline">
        ← Import members
      </Link>
      <h1 className="text-2xl font-semibold break-all">{summary.fileName}</h1>
      <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
        {[
          ["Rows", summary.totalRows],
          ["Valid", summary.progress.validRows],
          ["With errors (skipped)", summary.errorRows],
          ["Applied", `${summary.progress.appliedRows} of ${summary.progress.validRows}`],
        ].map(([term, value]) => (
          <div key={String(term)}>
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="apply-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="apply-heading" className="text-lg font-medium">
          {summary.status === "applied" ? "Applied" : "Apply"}
        </h2>
        {summary.progress.validRows === 0 ? (
          <p className="text-sm text-slate-600">No row is valid: fix the file and upload it again.</p>
        ) : (
          <ApplyImport applyBatch={applyMemberImportBatchAction.bind(null, org, id)} initial={summary.progress} label={summary.status === "applying" ? "Continue applying" : `Invite ${summary.progress.validRows} valid rows`} />
        )}
        <a href={`${base}/report`} className="inline-block text-sm text-brand-700 underline">
          Download the result report (CSV)
        </a>
      </section>
      <section aria-labelledby="errors-heading" className="space-y-2">
        <h2 id="errors-heading" className="text-lg font-medium">
          Rows with errors
        </h2>
        {errors.length === 0 ? (
          <p className="text-sm text-slate-600">{after > 0 ? "No more rows with errors." : "Every row is valid."}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm" data-testid="member-import-errors">
            {errors.flatMap((r) =>
              (r.errors ?? []).map((e, i) => (
                <li key={`${r.rowNo}-${i}`} className="px-3 py-2 font-mono text-xs break-words">
                  {`row ${r.rowNo}, column ${e.column}: ${e.message}`}
                </li>
              )),
            )}
          </ul>
        )}
        {errors.length === 100 && last ? (
          <Link href={`${base}?after=${last.rowNo}`} className="text-sm text-brand-700 underline">
            More rows with errors
          </Link>
        ) : null}
      </section>
    </div>
  );
}
