import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { can } from "@/lib/access/access";
import { getAccount } from "@/lib/accounts/list-accounts";
import { formatAmount } from "@/lib/accounts/money";
import { PermissionNeeded } from "@/components/access/permission-needed";
import { formatMoney } from "@/components/format";
import { requirePrincipal } from "../../../../load-viewer";
import { updateAccountAction } from "../actions";
import { AccountTermsForm } from "../account-terms-form";
import { readSupplierPage } from "../supplier-page";

export const metadata: Metadata = { title: "Account" };

const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

export default async function AccountPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const principal = await requirePrincipal(org);
  const read = await readSupplierPage(principal, "accounts:read", "account page", (tx, supplier) => getAccount(tx, supplier, id));
  if (!read.ok) {
    return (
      <PermissionNeeded title="Account">
        <p className="font-medium">Accounts need accounts:read at the organization root.</p>
      </PermissionNeeded>
    );
  }
  const account = read.data ?? notFound();
  const base = account.baseCurrency ?? "USD";
  const others = account.currencies.filter((c) => !c.isBase);
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/orgs/${org}/accounts`} className="text-sm text-brand-700 underline">
          ← All accounts
        </Link>
        <h1 className="mt-2 text-2xl font-semibold">{account.name}</h1>
      </div>
      <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4">
        {[
          ["Tier", account.tier],
          ["Currencies", account.currencies.map((c) => (c.isBase ? `${c.currency} (base)` : `${c.currency} at ${c.rateToBase}`)).join(", ")],
          ["Credit limit", account.creditLimitMinor === null ? "None" : formatMoney(account.creditLimitMinor, base)],
          ["Waiting for approval", String(account.waitingForApproval)],
        ].map(([term, value]) => (
          <div key={term}>
            <dt className="text-slate-500">{term}</dt>
            <dd className="font-medium">{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="activity-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="activity-heading" className="text-lg font-medium">
            Orders over the last 12 months
          </h2>
          <Link href={`/orgs/${org}/account-orders?account=${account.id}`} className="text-sm text-brand-700 underline">
            This account&apos;s orders
          </Link>
        </div>
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">Month</th>
                <th scope="col" className="px-3 py-2 text-right">Orders placed</th>
                <th scope="col" className="px-3 py-2 text-right">Value ({base})</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {account.last12Months.months.map((m) => (
                <tr key={m.month}>
                  <td className="px-3 py-2">{monthName.format(new Date(m.month))}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{m.orderCount}</td>
                  <td className="px-3 py-2 text-right tabular-nums">{formatMoney(m.valueMinor, base)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-xs text-slate-500">Placed means submitted, approved or fulfilled; values are converted to {base} with the account&apos;s rates.</p>
      </section>
      {can(principal.access, "accounts:manage", "") ? (
        <section aria-labelledby="terms-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="terms-heading" className="text-lg font-medium">
            Terms
          </h2>
          <AccountTermsForm
            action={updateAccountAction.bind(null, org, account.id)}
            submitLabel="Save terms"
            doneMessage="Terms saved."
            defaults={{ tier: account.tier, baseCurrency: base, creditLimit: account.creditLimitMinor === null ? "" : formatAmount(account.creditLimitMinor, base), currencies: others.map((c) => `${c.currency} ${c.rateToBase}`).join(", ") }}
          />
        </section>
      ) : null}
    </div>
  );
}
