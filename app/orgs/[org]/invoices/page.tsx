import type { Metadata } from "next";
import Link from "next/link";
import { holdsAnywhere } from "@/lib/access/access";
import { ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { listInvoices } from "@/lib/invoices/list-invoices";
import { invoicesQuerySchema, type InvoicePage } from "@/lib/invoices/schemas";
import { InvoiceList } from "@/components/orders/invoice-list";
import { EmptyState } from "@/components/ui/empty-state";
import { InvoiceDecision } from "@/components/orders/invoice-decision";
import { requirePrincipal } from "../../../load-viewer";
import { decideInvoiceAction } from "./actions";

export const metadata: Metadata = { title: "Invoices" };

const STATUSES = ["issued", "approved", "disputed"] as const;

/** The supplier's invoices for the branches where the member holds invoices:read, newest first. */
export default async function InvoicesPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const raw = await searchParams;
  const text = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
  const parsed = invoicesQuerySchema.safeParse({ status: text(raw.status), cursor: text(raw.cursor) });
  const query = parsed.success ? parsed.data : invoicesQuerySchema.parse({});
  let problem: string | null = parsed.success ? null : "Some filters were not understood and were ignored.";
  let page: InvoicePage = { data: [], nextCursor: null };
  if (holdsAnywhere(principal.access, "invoices:read")) {
    try {
      page = await readAs(principal, (tx) => listInvoices(tx, principal, query));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problem = "That page link is not one this server issued; showing the first page.";
      page = await readAs(principal, (tx) => listInvoices(tx, principal, invoicesQuerySchema.parse({ status: query.status })));
    }
  }
  const base = `/orgs/${org}/invoices`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Invoices</h1>
      {problem ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      <nav aria-label="Invoice status" className="flex flex-wrap gap-2 text-sm">
        {[undefined, ...STATUSES].map((s) => (
          <Link
            key={s ?? "all"}
            href={s ? `${base}?status=${s}` : base}
            aria-current={query.status === s ? "page" : undefined}
            className={`rounded-md border px-3 py-1 capitalize ${query.status === s ? "border-brand-600 bg-brand-50 font-medium text-brand-800" : "border-slate-300 bg-white text-slate-700"}`}
          >
            {s ?? "All"}
          </Link>
        ))}
      </nav>
      {page.data.length === 0 ? (
        <EmptyState title={holdsAnywhere(principal.access, "invoices:read") ? "No invoices yet" : "You cannot read invoices here"}>
          {holdsAnywhere(principal.access, "invoices:read")
            ? "When the supplier invoices a placed order of your branches, it appears here, and those who approve invoices can approve or dispute it."
            : "Reading invoices needs the invoices:read permission; ask an administrator for a role that carries it."}
        </EmptyState>
      ) : (
        <InvoiceList
          orgSlug={org}
          rows={page.data}
          decide={holdsAnywhere(principal.access, "invoices:approve") ? (i) => <InvoiceDecision invoiceId={i.id} number={i.number} version={i.version} action={decideInvoiceAction.bind(null, org)} /> : undefined}
        />
      )}
      {page.nextCursor ? (
        <Link href={`${base}?${new URLSearchParams({ ...(query.status ? { status: query.status } : {}), cursor: page.nextCursor }).toString()}`} className="text-sm text-brand-700 underline">
          Next page →
        </Link>
      ) : null}
    </div>
  );
}
