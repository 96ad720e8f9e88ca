import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/access/access";
import { listAccounts } from "@/lib/accounts/list-accounts";
import { formatAmount } from "@/lib/accounts/money";
import { accountListQuerySchema } from "@/lib/accounts/schemas";
import { getCatalogProduct } from "@/lib/catalog/get-product";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { Notice } from "@/components/access/notice";
import { formatMoney } from "@/components/format";
import { requirePrincipal } from "../../../../load-viewer";
import { deleteProductAction, removeAccountPriceAction, setAccountPriceAction, updateProductAction } from "../actions";
import { readCatalogPage } from "../load-catalog-page";
import { AccountPriceForm, ActionButton, ProductForm } from "../product-form";

export const metadata: Metadata = { title: "Product" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function ProductPage({ params, searchParams }: { params: Promise<{ org: string; id: string }>; searchParams: Promise<SearchParams> }) {
  const { org, id } = await params;
  const { notice } = await searchParams;
  const principal = await requirePrincipal(org);
  const managesAccounts = can(principal.access, "accounts:manage", "");
  const read = await readCatalogPage(principal, async (tx, viewer) => {
    const product = await getCatalogProduct(tx, viewer, id);
    if (!product) return null;
    // A customer sees its price in each currency its account uses.
    const prices = viewer.kind === "customer" ? await Promise.all(viewer.terms.currencies.map(async (c) => (await getCatalogProduct(tx, viewer, id, c.currency))?.price ?? { currency: c.currency, unitPriceMinor: -1, source: "list" as const })) : [];
    const accounts = viewer.kind === "supplier" && viewer.canSeeAccountPrices && managesAccounts ? (await listAccounts(tx, viewer.supplier, accountListQuerySchema.parse({ limit: 100 }))).data : [];
    return { product, prices, accounts };
  });
  if (read.kind === "forbidden") return <PermissionNeeded title="Product"><p className="font-medium">{read.message}</p></PermissionNeeded>;
  if (read.kind === "no-account" || !read.data) notFound();
  const { viewer } = read;
  const { product, prices, accounts } = read.data;
  const base = `/orgs/${org}/catalog`;
  const canEdit = viewer.kind === "supplier" && viewer.canManage;
  return (
    <div className="space-y-6">
      <div>
        <Link href={base} className="text-sm text-brand-700 underline">
          ← Catalog
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">{product.name}</h1>
        <p className="font-mono text-sm text-slate-600">{product.sku}</p>
      </div>
      {notice === "created" ? <Notice>Product added.</Notice> : null}
      <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
        {[
          ["Category", product.category || "—"],
          ["Unit", product.unit],
          ["Status", product.active ? "Active" : "Inactive"],
          [viewer.kind === "customer" ? "Your prices" : "List prices", viewer.kind === "customer" ? prices.map((p) => (p.unitPriceMinor < 0 ? `no ${p.currency} price` : `${formatMoney(p.unitPriceMinor, p.currency)}${p.source === "account" ? " (your price)" : ""}`)).join(" · ") : Object.entries(product.listPrices ?? {}).map(([c, v]) => formatMoney(v, c)).join(" · ") || "None"],
        ].map(([term, value]) => (
          <div key={term}>
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium" data-testid={term === "Your prices" ? "your-prices" : undefined}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {product.description ? <p className="max-w-3xl whitespace-pre-line text-sm text-slate-700">{product.description}</p> : null}
      {canEdit ? (
        <section aria-labelledby="edit-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="edit-heading" className="text-lg font-medium">
            Edit
          </h2>
          <ProductForm
            action={updateProductAction.bind(null, org, product.id)}
            submitLabel="Save product"
            doneMessage="Product saved."
            defaults={{ sku: product.sku, name: product.name, description: product.description, category: product.category, unit: product.unit, active: product.active, prices: Object.entries(product.listPrices ?? {}).map(([c, v]) => `${c} ${formatAmount(v, c)}`).join(", ") }}
          />
          <ActionButton action={deleteProductAction.bind(null, org, product.id)} label="Delete product" pendingLabel="Deleting…" confirm={`Delete ${product.sku}? Orders keep their own copy; to stop selling it but keep it, make it inactive instead.`} />
        </section>
      ) : null}
      {product.accountPrices ? (
        <section aria-labelledby="account-prices-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="account-prices-heading" className="text-lg font-medium">
            Account prices
          </h2>
          {product.accountPrices.length === 0 ? (
            <p className="text-sm text-slate-600">No account has its own price; every account pays the list price.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm">
              {product.accountPrices.map((p) => (
                <li key={`${p.accountId}-${p.currency}`} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    {p.accountName}: <span className="tabular-nums">{formatMoney(p.unitPriceMinor, p.currency)}</span>
                  </span>
                  {managesAccounts ? <ActionButton action={removeAccountPriceAction.bind(null, org, product.id, p.accountId, p.currency)} label="Remove" pendingLabel="Removing…" /> : null}
                </li>
              ))}
            </ul>
          )}
          {managesAccounts && accounts.length > 0 ? <AccountPriceForm action={setAccountPriceAction.bind(null, org, product.id)} accounts={accounts.map((a) => ({ id: a.id, name: a.name, currencies: a.currencies.map((c) => c.currency) }))} /> : null}
        </section>
      ) : null}
    </div>
  );
}
