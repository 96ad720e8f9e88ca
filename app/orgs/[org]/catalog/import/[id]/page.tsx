import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { describeRowError } from "@/lib/catalog/import/parse-catalog-csv";
import { getCatalogImport, listCatalogImportErrors } from "@/lib/catalog/import/read-catalog-imports";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { requirePrincipal } from "../../../../../load-viewer";
import { applyImportBatchAction } from "../../actions";
import { readCatalogPage } from "../../load-catalog-page";
import { ApplyImport } from "@/components/ui/apply-import";

export const metadata: Metadata = { title: "Import preview" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ImportPreviewPage({ params, searchParams }: { params: Promise<{ org: string; id: string }>; searchParams: Promise<SearchParams> }) {
  const { org, id } = await params;
  const after = Number((await searchParams).after ?? 0);
  const principal = await requirePrincipal(org);
  const read = await readCatalogPage(principal, async (tx, viewer) => {
    if (viewer.kind !== "supplier") return null;
    const summary = await getCatalogImport(tx, viewer.supplier.id, id);
    return summary ? { summary, errors: await listCatalogImportErrors(tx, viewer.supplier.id, id, { afterRow: Number.isSafeInteger(after) && after > 0 ? after : 0, limit: 100 }) } : null;
  });
  if (read.kind === "ok" && read.viewer.kind === "customer") notFound();
  if (read.kind !== "ok" || read.viewer.kind !== "supplier" || !read.viewer.canManage) {
    return (
      <PermissionNeeded title="Import preview">
        <p className="font-medium">Importing needs catalog:manage in the supplier&apos;s organization.</p>
      </PermissionNeeded>
    );
  }
  if (!read.data) notFound();
  const { summary, errors } = read.data;
  const base = `/orgs/${org}/catalog/import/${id}`;
  return (
    <div className="space-y-6">
      <Link href={`/orgs/${org}/catalog/import`} className="text-sm text-brand-700 underline">
        ← Imports
      </Link>
      <h1 className="text-2xl font-semibold break-all">{summary.fileName}</h1>
      <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
        {[
          ["Rows", summary.totalRows],
          ["Valid", summary.validRows],
          ["With errors (skipped)", summary.errorRows],
          [summary.preview ? "New SKUs / existing" : "Applied", summary.preview ? `${summary.preview.newSkus} / ${summary.preview.existingSkus}` : `${summary.appliedRows} of ${summary.validRows}`],
        ].map(([term, value]) => (
          <div key={String(term)}>
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium tabular-nums" data-testid={`import-${String(term).split(" ")[0]!.toLowerCase()}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-slate-600">
        Columns: sku, name{summary.columns.length ? `, ${summary.columns.join(", ")}` : ""}
        {summary.currencies.length ? `; list prices in ${summary.currencies.join(", ")}` : "; no price columns"}.
      </p>
      <section aria-labelledby="apply-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="apply-heading" className="text-lg font-medium">
          {summary.status === "applied" ? "Applied" : "Apply"}
        </h2>
        {summary.validRows === 0 && summary.status !== "applied" ? (
          <p className="text-sm text-slate-600">No row is valid: fix the file and upload it again.</p>
        ) : (
          <ApplyImport
            applyBatch={applyImportBatchAction.bind(null, org, id)}
            initial={{ validRows: summary.validRows, appliedRows: summary.appliedRows, created: summary.created, updated: summary.updated, unchanged: summary.unchanged, done: summary.status === "applied" }}
            label={summary.status === "applying" ? "Continue applying" : `Apply ${summary.validRows} valid rows`}
          />
        )}
      </section>
      <section aria-labelledby="errors-heading" className="space-y-2">
        <h2 id="errors-heading" className="text-lg font-medium">
          Rows with errors
        </h2>
        {errors.rows.length === 0 ? (
          <p className="text-sm text-slate-600">{after > 0 ? "No more rows with errors." : "Every row is valid."}</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm" data-testid="import-errors">
            {errors.rows.flatMap((r) =>
              r.errors.map((e, i) => (
                <li key={`${r.rowNo}-${i}`} className="px-3 py-2 font-mono text-xs break-words">
                  {describeRowError(r.rowNo, e)}
                </li>
              )),
            )}
          </ul>
        )}
        {errors.nextAfterRow ? (
          <Link href={`${base}?after=${errors.nextAfterRow}`} className="text-sm text-brand-700 underline">
            Next rows with errors
          </Link>
        ) : null}
      </section>
    </div>
  );
}
