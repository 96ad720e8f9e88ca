import type { Metadata } from "next";
import Link from "next/link";
import { holdsAnywhere } from "@/lib/access/access";
import { readAs } from "@/lib/core/read-as";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import { ValidationError } from "@/lib/core/errors";
import { listOrders, type OrderPage } from "@/lib/orders/list-orders";
import { orderListQuerySchema, orderStatuses, type OrderListQuery } from "@/lib/orders/schemas";
import { OrderFilters } from "@/components/orders/order-filters";
import { DownloadCsvLink } from "@/components/orders/download-csv-link";
import { OrdersTable } from "@/components/orders/orders-table";
import { KeysetPager } from "@/components/ui/keyset-pager";
import { requirePrincipal } from "../../../load-viewer";
import { describeFieldErrorsForPeople, describeFieldProblem } from "@/lib/core/plain-messages";

export const metadata: Metadata = { title: "Orders" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function OrdersPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v !== "" && v !== undefined));
  const parsed = orderListQuerySchema.safeParse(raw);
  const query: OrderListQuery = parsed.success ? parsed.data : orderListQuerySchema.parse({});
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => describeFieldProblem(i.path.join("."), i.message));

  let page: OrderPage = { data: [], nextCursor: null, prevCursor: null };
  try {
    page = await readAs(principal, (tx) => listOrders(tx, principal, query));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...Object.values(describeFieldErrorsForPeople(error.fieldErrors)).flat());
  }
  const branches = await readAs(principal, (tx) => listBranchOptions(tx, principal, "orders:read"));
  const base = `/orgs/${org}/orders`;
  const filters = { status: query.status, branch: query.branch, buyer: query.buyer, from: query.from, to: query.to, q: query.q, sort: query.sort, dir: query.dir, limit: query.limit === 50 ? undefined : query.limit };
  const filtered = Boolean(query.status || query.branch || query.buyer || query.from || query.to || query.q);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Orders</h1>
        <div className="flex flex-wrap gap-2 text-sm">
          {page.data.length > 0 ? <DownloadCsvLink href={`${base}/export`} filters={{ status: query.status, branch: query.branch, q: query.q, sort: query.sort, dir: query.dir }} /> : null}
          {holdsAnywhere(principal.access, "orders:approve") ? (
            <Link href={`/orgs/${org}/approvals`} className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium text-slate-800 hover:bg-slate-50">
              Approvals
            </Link>
          ) : null}
          {holdsAnywhere(principal.access, "invoices:read") ? (
            <Link href={`/orgs/${org}/invoices`} className="rounded-md border border-slate-300 bg-white px-3 py-2 font-medium text-slate-800 hover:bg-slate-50">
              Invoices
            </Link>
          ) : null}
          {holdsAnywhere(principal.access, "orders:create") ? (
            <Link href={`/orgs/${org}/orders/new`} className="rounded-md bg-brand-600 px-3 py-2 font-medium text-white hover:bg-brand-700">
              New order
            </Link>
          ) : null}
        </div>
      </div>
      {problems.length > 0 ? (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          Some filters were not understood and were ignored: {problems.join(" ")}
        </div>
      ) : null}
      <OrderFilters action={base} statuses={[...orderStatuses]} branches={branches} values={filters} />
      <OrdersTable orgSlug={org} rows={page.data} sort={query.sort} dir={query.dir} baseQuery={filters} filtered={filtered} />
      <KeysetPager base={base} query={filters} prevCursor={page.prevCursor} nextCursor={page.nextCursor} shown={page.data.length} noun="orders" />
    </div>
  );
}
