import Link from "next/link";
import type { Metadata } from "next";
import { listAccounts } from "@/lib/accounts/list-accounts";
import { listSupplierOrders, type SupplierOrderPage } from "@/lib/accounts/list-supplier-orders";
import { accountListQuerySchema, supplierOrderListQuerySchema, type SupplierOrderListQuery } from "@/lib/accounts/schemas";
import { ValidationError } from "@/lib/core/errors";
import { orderStatuses } from "@/lib/orders/schemas";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { formatDate, formatMoney } from "@/components/format";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { DownloadCsvLink } from "@/components/orders/download-csv-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { requirePrincipal } from "../../../load-viewer";
import { readSupplierPage } from "../accounts/supplier-page";
import { describeFieldErrorsForPeople } from "@/lib/core/plain-messages";
import { fieldErrorsFromIssues } from "@/lib/core/input-rules";

export const metadata: Metadata = { title: "Orders across accounts" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AccountOrdersPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== "" && v !== undefined));
  const parsed = supplierOrderListQuerySchema.safeParse(raw);
  const query: SupplierOrderListQuery = parsed.success ? parsed.data : supplierOrderListQuerySchema.parse({});
  const problems = parsed.success ? [] : Object.values(describeFieldErrorsForPeople(fieldErrorsFromIssues(parsed.error.issues, "query"))).flat();
  const read = await readSupplierPage(principal, "orders:read", "orders across accounts", async (tx, supplier) => {
    let page: SupplierOrderPage = { data: [], nextCursor: null, prevCursor: null };
    try {
      page = await listSupplierOrders(tx, supplier, query);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...Object.values(describeFieldErrorsForPeople(error.fieldErrors)).flat());
    }
    const accounts = await listAccounts(tx, supplier, accountListQuerySchema.parse({ limit: 100 }));
    return { page, accounts: accounts.data.map((a) => ({ id: a.id, name: a.name })) };
  });
  if (!read.ok) {
    return (
      <PermissionNeeded title="Orders across accounts">
        <p className="font-medium">Orders across accounts need orders:read at the organization root.</p>
      </PermissionNeeded>
    );
  }
  const { page, accounts } = read.data;
  const base = `/orgs/${org}/account-orders`;
  const filters = { account: query.account, status: query.status, dir: query.dir === "desc" ? undefined : query.dir, limit: query.limit === 50 ? undefined : query.limit };
  const filtered = Boolean(query.account || query.status);
  const input = "mt-1 block rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Orders across accounts</h1>
      <p className="text-sm text-slate-600">Every account&apos;s orders, newest first. Only the supplier&apos;s staff see this list.</p>
      {problems.length > 0 ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          Some filters were not understood and were ignored: {problems.join(" ")}
        </div>
      ) : null}
      <form action={base} method="get" role="search" aria-label="Filter orders" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <label className="text-sm text-slate-700">
          Account
          <select name="account" defaultValue={query.account ?? ""} className={input}>
            <option value="">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm text-slate-700">
          Status
          <select name="status" defaultValue={query.status ?? ""} className={input}>
            <option value="">Any status</option>
            {orderStatuses.map((s) => (
              <option key={s} value={s}>
                {s[0]!.toUpperCase() + s.slice(1)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm text-slate-700">
          Order
          <select name="dir" defaultValue={query.dir} className={input}>
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
        <Button type="submit">Apply</Button>
        <a href={base} className="px-2 py-2 text-sm text-slate-600 underline">
          Clear
        </a>
      </form>
      {page.data.length > 0 ? (
        <div className="flex justify-end">
          <DownloadCsvLink href={`${base}/export`} filters={{ account: query.account, status: query.status, dir: query.dir }} />
        </div>
      ) : null}
      {page.data.length === 0 ? (
        <EmptyState title={filtered ? "No orders match these filters" : "No orders yet"}>{filtered ? "Try another account or status, or clear the filters." : "Orders your accounts place appear here."}</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Order</th>
                <th scope="col" className="px-3 py-2">Account</th>
                <th scope="col" className="px-3 py-2">Placed</th>
                <th scope="col" className="px-3 py-2">Branch</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2 text-right">Total</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.data.map((o) => (
                <tr key={o.id} className="hover:bg-slate-50">
                  <td className="px-3 py-2">
                    <Link href={`${base}/${o.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                      {o.number}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{o.accountName}</td>
                  <td className="px-3 py-2">{formatDate(o.placedAt)}</td>
                  <td className="px-3 py-2">{o.branchName}</td>
                  <td className="px-3 py-2">
                    <StatusBadge status={o.status} />
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMoney(o.totalMinor, o.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KeysetPager base={base} query={filters} prevCursor={page.prevCursor} nextCursor={page.nextCursor} shown={page.data.length} noun="orders" />
    </div>
  );
}
