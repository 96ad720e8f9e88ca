import Link from "next/link";
import type { ReactNode } from "react";
import { formatDate, formatDateTime, formatMoney } from "@/components/format";
import { StatusBadge } from "@/components/ui/status-badge";
import type { Invoice } from "@/lib/invoices/schemas";

/** The account's invoices as a list (one card per invoice), so a phone never scrolls sideways. */
export function InvoiceList({ orgSlug, rows, decide }: { orgSlug: string; rows: Invoice[]; decide?: (invoice: Invoice) => ReactNode }) {
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
      {rows.map((i) => (
        <li key={i.id} className="flex flex-wrap items-start justify-between gap-2 p-3 text-sm">
          <div className="min-w-0 flex-1">
            <p className="font-medium break-words">
              {i.number} · {formatMoney(i.totalMinor, i.currency)}
            </p>
            <p className="text-slate-600">
              Order{" "}
              <Link href={`/orgs/${orgSlug}/orders/${i.orderId}`} className="text-brand-700 underline">
                {i.orderNumber}
              </Link>
              , {i.branchName} · issued {formatDateTime(i.issuedAt)} · due {formatDate(`${i.dueDate}T00:00:00Z`)}
            </p>
            {i.comment ? <p className="mt-1 break-words text-slate-700">“{i.comment}”</p> : null}
            {i.status === "issued" && decide ? decide(i) : null}
          </div>
          <StatusBadge status={i.status} />
        </li>
      ))}
    </ul>
  );
}
