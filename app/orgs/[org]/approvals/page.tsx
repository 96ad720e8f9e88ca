import type { Metadata } from "next";
import Link from "next/link";
import { listWaitingApprovals } from "@/lib/approvals/list-waiting-approvals";
import { approvalsQuerySchema } from "@/lib/approvals/rule-schemas";
import { ValidationError } from "@/lib/core/errors";
import { readAs } from "@/lib/core/read-as";
import { ApprovalsInbox } from "@/components/orders/approvals-inbox";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePrincipal } from "../../../load-viewer";
import { DelegationsPanel } from "@/components/orders/delegations-panel";
import { listMyDelegations } from "@/lib/approvals/list-delegations";
import { holdsAnywhere } from "@/lib/access/access";
import { createDelegationAction, decideApprovalsAction, endDelegationAction } from "./actions";

export const metadata: Metadata = { title: "Approvals" };

/** The approver's inbox: orders waiting for their decision, oldest first, 50 a page. */
export default async function ApprovalsPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  const raw = await searchParams;
  const parsed = approvalsQuerySchema.safeParse({ cursor: typeof raw.cursor === "string" ? raw.cursor : undefined });
  const query = parsed.success ? parsed.data : approvalsQuerySchema.parse({});
  let page = { data: [] as Awaited<ReturnType<typeof listWaitingApprovals>>["data"], nextCursor: null as string | null };
  let problem: string | null = null;
  try {
    page = await readAs(principal, (tx) => listWaitingApprovals(tx, principal, query));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problem = "That page link is not one this server issued; showing the first page.";
    page = await readAs(principal, (tx) => listWaitingApprovals(tx, principal, approvalsQuerySchema.parse({})));
  }
  const delegations = await readAs(principal, (tx) => listMyDelegations(tx, principal));
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Approvals</h1>
      {problem ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      <ApprovalsInbox
        orgSlug={org}
        rows={page.data}
        action={decideApprovalsAction.bind(null, org)}
        empty={<EmptyState title="Nothing waits for you">Orders that need your approval appear here, oldest first.</EmptyState>}
      />
      {page.nextCursor ? (
        <Link href={`/orgs/${org}/approvals?cursor=${encodeURIComponent(page.nextCursor)}`} className="text-sm text-brand-700 underline">
          Next page →
        </Link>
      ) : null}
      {holdsAnywhere(principal.access, "orders:approve") || delegations.given.length > 0 ? (
        <DelegationsPanel given={delegations.given} received={delegations.received} create={createDelegationAction.bind(null, org)} end={endDelegationAction.bind(null, org)} />
      ) : null}
    </div>
  );
}
