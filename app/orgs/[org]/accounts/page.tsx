import Link from "next/link";
import type { Metadata } from "next";
import { can } from "@/lib/access/access";
import { listAccounts, listOrgsWithoutAccount } from "@/lib/accounts/list-accounts";
import { accountListQuerySchema } from "@/lib/accounts/schemas";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { ActivityBars } from "@/components/accounts/activity-bars";
import { formatMoney } from "@/components/format";
import { EmptyState } from "@/components/ui/empty-state";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { requirePrincipal } from "../../../load-viewer";
import { openAccountAction } from "./actions";
import { AccountTermsForm } from "./account-terms-form";
import { readSupplierPage } from "./supplier-page";

export const metadata: Metadata = { title: "Accounts" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AccountsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const cursor = (await searchParams).cursor;
  const query = accountListQuerySchema.safeParse({ cursor: typeof cursor === "string" ? cursor : undefined });
  const canManage = can(principal.access, "accounts:manage", "");
  const read = await readSupplierPage(principal, "accounts:read", "accounts page", async (tx, supplier) => ({
    page: await listAccounts(tx, supplier, query.success ? query.data : accountListQuerySchema.parse({})),
    unopened: canManage ? await listOrgsWithoutAccount(tx) : [],
  }));
  if (!read.ok) {
    return (
      <PermissionNeeded title="Accounts">
        <p className="font-medium">The accounts list needs accounts:read at the organization root.</p>
        <p className="mt-1">Ask an administrator for the Viewer or Account manager role.</p>
      </PermissionNeeded>
    );
  }
  const { page, unopened } = read.data;
  const base = `/orgs/${org}/accounts`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">Accounts</h1>
        <Link href={`/orgs/${org}/account-orders`} className="text-sm text-brand-700 underline">
          Orders across accounts
        </Link>
      </div>
      {page.data.length === 0 ? (
        <EmptyState title="No accounts yet">Open an account for a customer organization below, or with `npm run cli -- account open`.</EmptyState>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Accounts with their tier, orders and value over the last 12 months, and orders waiting for approval</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Account</th>
                <th scope="col" className="px-3 py-2">Tier</th>
                <th scope="col" className="px-3 py-2">Orders, 12 months</th>
                <th scope="col" className="px-3 py-2 text-right">Value, 12 months</th>
                <th scope="col" className="px-3 py-2 text-right">Waiting for approval</th>
                <th scope="col" className="px-3 py-2 text-right">Credit limit</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.data.map((a) => (
                <tr key={a.id}>
                  <td className="px-3 py-2">
                    <Link href={`${base}/${a.id}`} className="font-medium text-brand-700 underline-offset-2 hover:underline">
                      {a.name}
                    </Link>
                    <span className="block text-xs text-slate-500">{a.currencies.map((c) => c.currency).join(", ")}</span>
                  </td>
                  <td className="px-3 py-2">{a.tier}</td>
                  <td className="px-3 py-2">
                    <span className="flex items-end gap-2">
                      <span className="tabular-nums" data-testid="account-order-count">{a.last12Months.orderCount}</span>
                      <ActivityBars months={a.last12Months.months} label={`Orders per month for ${a.name}`} />
                    </span>
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {a.baseCurrency ? formatMoney(a.last12Months.valueMinor, a.baseCurrency) : "—"}
                    {a.last12Months.unconvertedCurrencies.length ? <span className="block text-xs text-slate-500">plus orders in {a.last12Months.unconvertedCurrencies.join(", ")} (no rate)</span> : null}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {a.waitingForApproval > 0 ? (
                      <Link href={`/orgs/${org}/account-orders?account=${a.id}&status=submitted`} className="text-brand-700 underline">
                        {a.waitingForApproval}
                      </Link>
                    ) : (
                      0
                    )}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{a.creditLimitMinor !== null && a.baseCurrency ? formatMoney(a.creditLimitMinor, a.baseCurrency) : "None"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <KeysetPager base={base} query={{}} prevCursor={null} nextCursor={page.nextCursor} shown={page.data.length} noun="accounts" />
      {canManage ? (
        <section aria-labelledby="open-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="open-heading" className="text-lg font-medium">
            Open an account
          </h2>
          {unopened.length === 0 ? (
            <p className="text-sm text-slate-600">Every customer organization has an account. Create an organization with `npm run cli -- org create` first.</p>
          ) : (
            <AccountTermsForm action={openAccountAction.bind(null, org)} organizations={unopened} submitLabel="Open account" doneMessage="Account opened." />
          )}
        </section>
      ) : null}
    </div>
  );
}
