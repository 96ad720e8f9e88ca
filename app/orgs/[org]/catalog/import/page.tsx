import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { MAX_IMPORT_BYTES } from "@/lib/catalog/import/parse-catalog-csv";
import { listRecentCatalogImports } from "@/lib/catalog/import/read-catalog-imports";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { formatDateTime } from "@/components/format";
import { requirePrincipal } from "../../../../load-viewer";
import { readCatalogPage } from "../load-catalog-page";
import { UploadForm } from "@/components/ui/csv-upload-form";

export const metadata: Metadata = { title: "Import catalog" };

export default async function ImportPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const read = await readCatalogPage(principal, (tx, viewer) => (viewer.kind === "supplier" ? listRecentCatalogImports(tx, viewer.supplier.id) : Promise.resolve(null)));
  if (read.kind === "ok" && read.viewer.kind === "customer") notFound();
  if (read.kind !== "ok" || read.viewer.kind !== "supplier" || !read.viewer.canManage) {
    return (
      <PermissionNeeded title="Import catalog">
        <p className="font-medium">Importing needs catalog:manage in the supplier&apos;s organization.</p>
      </PermissionNeeded>
    );
  }
  const recent = read.data ?? [];
  const base = `/orgs/${org}/catalog/import`;
  return (
    <div className="space-y-6">
      <Link href={`/orgs/${org}/catalog`} className="text-sm text-brand-700 underline">
        ← Catalog
      </Link>
      <h1 className="text-2xl font-semibold">Import catalog</h1>
      <div className="max-w-3xl space-y-2 text-sm text-slate-700">
        <p>Upload a CSV file to see what it would change: every row is checked first, and nothing changes until you apply it.</p>
        <ul className="list-disc pl-5">
          <li>Products are matched by SKU, whatever its case. New SKUs are added; existing ones take the file&apos;s values.</li>
          <li>A column the file does not have leaves that field alone. An empty price cell removes that list price.</li>
          <li>Rows with errors are skipped. Applying the same file again changes nothing.</li>
        </ul>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <UploadForm uploadUrl={`${base}/upload`} previewBase={base} maxBytes={MAX_IMPORT_BYTES} inputId="catalog-file" hint="UTF-8, with a header row: sku,name and any of description, category, unit, active, price_usd, price_eur… Up to 200,000 rows." />
      </div>
      <section aria-labelledby="recent-heading" className="space-y-2">
        <h2 id="recent-heading" className="text-lg font-medium">
          Recent imports
        </h2>
        {recent.length === 0 ? (
          <p className="text-sm text-slate-600">No imports yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
            {recent.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2">
                <Link href={`${base}/${i.id}`} className="font-medium text-brand-700 underline">
                  {i.fileName}
                </Link>
                <span className="text-slate-600">
                  {formatDateTime(i.createdAt)} · {i.totalRows} rows · {i.status === "applied" ? `applied: ${i.created} new, ${i.updated} updated, ${i.unchanged} unchanged` : i.status === "applying" ? `${i.appliedRows}/${i.validRows} applied` : "not applied"}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
