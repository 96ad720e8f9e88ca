import Link from "next/link";
import type { Metadata } from "next";
import { listCatalog, listCategories } from "@/lib/catalog/list-products";
import { productListQuerySchema, type CatalogPage, type ProductListQuery } from "@/lib/catalog/schemas";
import { ValidationError } from "@/lib/core/errors";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { Notice } from "@/components/access/notice";
import { formatMoney } from "@/components/format";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { requirePrincipal } from "../../../load-viewer";
import { readCatalogPage } from "./load-catalog-page";
import { describeFieldErrorsForPeople } from "@/lib/core/plain-messages";
import { fieldErrorsFromIssues } from "@/lib/core/input-rules";

export const metadata: Metadata = { title: "Catalog" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function CatalogPageView({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const all = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== "" && v !== undefined));
  const { notice, ...raw } = all;
  const parsed = productListQuerySchema.safeParse(raw);
  const query: ProductListQuery = parsed.success ? parsed.data : productListQuerySchema.parse({});
  const problems = parsed.success ? [] : Object.values(describeFieldErrorsForPeople(fieldErrorsFromIssues(parsed.error.issues, "query"))).flat();
  const read = await readCatalogPage(principal, async (tx, viewer) => {
    let page: CatalogPage = { currency: null, data: [], nextCursor: null };
    try {
      page = await listCatalog(tx, viewer, query);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...Object.values(describeFieldErrorsForPeople(error.fieldErrors)).flat());
      page = await listCatalog(tx, viewer, { ...query, currency: undefined, cursor: undefined });
    }
    return { page, categories: await listCategories(tx, viewer) };
  });
  if (read.kind === "forbidden") {
    return (
      <PermissionNeeded title="Catalog">
        <p className="font-medium">{read.message}</p>
        <p className="mt-1">Ask an administrator of this organization for a role that includes it.</p>
      </PermissionNeeded>
    );
  }
  if (read.kind === "no-account") {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">Catalog</h1>
        <EmptyState title={read.supplierName ? `Your organization has no account with ${read.supplierName} yet` : "There is no catalog yet"}>
          {read.supplierName ? "Once the supplier opens an account for you, its catalog appears here with your prices." : "The catalog appears once the operator sets up the supplier (npm run cli -- supplier create)."}
        </EmptyState>
      </div>
    );
  }
  const { viewer } = read;
  const { page, categories } = read.data;
  const supplierView = viewer.kind === "supplier";
  const base = `/orgs/${org}/catalog`;
  const filters = { q: query.q, category: query.category, currency: query.currency, status: query.status === "all" ? undefined : query.status, limit: query.limit === 50 ? undefined : query.limit };
  const filtered = Boolean(query.q || query.category || (supplierView && query.status !== "all"));
  const input = "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">{supplierView ? "Catalog" : `${viewer.supplier.name} catalog`}</h1>
        {viewer.kind === "supplier" && viewer.canManage ? (
          <div className="flex gap-3 text-sm">
            <Link href={`${base}/new`} className="text-brand-700 underline">
              New product
            </Link>
            <Link href={`${base}/import`} className="text-brand-700 underline">
              Import CSV
            </Link>
          </div>
        ) : null}
      </div>
      {notice === "deleted" ? <Notice>Product deleted.</Notice> : null}
      {viewer.kind === "customer" ? <p className="text-sm text-slate-600">Prices are your account&apos;s: a price agreed for your organization where there is one, else the list price.</p> : null}
      {problems.length > 0 ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          Some filters were not understood and were ignored: {problems.join(" ")}
        </div>
      ) : null}
      <form action={base} method="get" role="search" aria-label="Search the catalog" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="text-sm text-slate-700">
          SKU or name
          <input type="search" name="q" defaultValue={query.q ?? ""} maxLength={64} className={input} placeholder="HX-2210 or bolt" />
        </label>
        <label className="text-sm text-slate-700">
          Category
          <select name="category" defaultValue={query.category ?? ""} className={input}>
            <option value="">All categories</option>
            {categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        {viewer.kind === "customer" ? (
          <label className="text-sm text-slate-700">
            Currency
            <select name="currency" defaultValue={page.currency ?? ""} className={input}>
              {viewer.terms.currencies.map((c) => (
                <option key={c.currency} value={c.currency}>
                  {c.currency}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <label className="text-sm text-slate-700">
            Status
            <select name="status" defaultValue={query.status} className={input}>
              <option value="all">Active and inactive</option>
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
            </select>
          </label>
        )}
        <Button type="submit">Search</Button>
        <a href={base} className="px-2 py-2 text-sm text-slate-600 underline">
          Clear
        </a>
      </form>
      {page.data.length === 0 ? (
        <EmptyState title={filtered ? "No products match" : "The catalog is empty"}>
          {filtered ? "Try fewer letters of the SKU or name, or another category." : supplierView ? "Add a product or import a CSV file." : "The supplier has not published any products yet."}
        </EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Products</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">SKU</th>
                <th scope="col" className="px-3 py-2">Product</th>
                <th scope="col" className="px-3 py-2">Category</th>
                <th scope="col" className="px-3 py-2">Unit</th>
                <th scope="col" className="px-3 py-2 text-right">{supplierView ? "List prices" : `Your price (${page.currency})`}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.data.map((p) => (
                <tr key={p.id} className="hover:bg-slate-50">
                  <td className="px-3 py-2 font-mono">{p.sku}</td>
                  <td className="px-3 py-2">
                    <Link href={`${base}/${p.id}${viewer.kind === "customer" && page.currency ? `?currency=${page.currency}` : ""}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                      {p.name}
                    </Link>
                    {!p.active ? <span className="ml-2 rounded-full bg-slate-200 px-2 py-0.5 text-xs text-slate-700">inactive</span> : null}
                  </td>
                  <td className="px-3 py-2">{p.category || "—"}</td>
                  <td className="px-3 py-2">{p.unit}</td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {supplierView ? (
                      Object.entries(p.listPrices ?? {}).map(([c, v]) => formatMoney(v, c)).join(" · ") || "—"
                    ) : p.price ? (
                      <>
                        {formatMoney(p.price.unitPriceMinor, p.price.currency)}
                        {p.price.source === "account" ? <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">your price</span> : null}
                      </>
                    ) : (
                      <span className="text-slate-500">No price in {page.currency}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KeysetPager base={base} query={filters} prevCursor={null} nextCursor={page.nextCursor} shown={page.data.length} noun="products" labels={{ first: "First page", prev: "Previous", next: "Next" }} />
    </div>
  );
}
