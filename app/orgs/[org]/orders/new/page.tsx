import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { holdsAnywhere } from "@/lib/access/access";
import { loadAccountTerms } from "@/lib/accounts/account-terms";
import { listBranchAddresses } from "@/lib/branch-addresses/list-branch-addresses";
import { listBranchOptions } from "@/lib/branches/list-branch-options";
import { readAs } from "@/lib/core/read-as";
import { EmptyState } from "@/components/ui/empty-state";
import { NewOrderForm, type BranchChoice } from "@/components/orders/new-order-form";
import { requirePrincipal } from "../../../../load-viewer";
import { createOrderAction } from "../actions";

export const metadata: Metadata = { title: "New order" };

/** A buyer's new order, for a branch where they hold orders:create (else 404, like any hidden page). */
export default async function NewOrderPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const principal = await requirePrincipal(org);
  if (!holdsAnywhere(principal.access, "orders:create")) notFound();
  const { branches, currencies } = await readAs(principal, async (tx) => {
    const options = await listBranchOptions(tx, principal, "orders:create", 200);
    const choices: BranchChoice[] = [];
    for (const b of options) {
      const addresses = ((await listBranchAddresses(tx, principal, b.id)) ?? []).filter((a) => a.isShipTo);
      choices.push({ id: b.id, label: `${"\u00a0\u00a0".repeat(b.depth)}${b.name}`, addresses: addresses.map((a) => ({ id: a.id, label: a.label, isDefault: a.isDefault })) });
    }
    const terms = principal.org ? await loadAccountTerms(tx, principal.org.id) : null;
    return { branches: choices, currencies: terms?.currencies.map((c) => c.currency) ?? [] };
  });
  return (
    <div className="space-y-4">
      <Link href={`/orgs/${org}/orders`} className="text-sm text-brand-700 underline">
        ← All orders
      </Link>
      <h1 className="text-2xl font-semibold">New order</h1>
      {currencies.length === 0 ? (
        <EmptyState title="No catalog yet">This organization has no account with the supplier, so there is nothing to order from.</EmptyState>
      ) : branches.length === 0 ? (
        <EmptyState title="No branch to order for">You may create orders, but at no branch you can see.</EmptyState>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            Find SKUs in the <Link href={`/orgs/${org}/catalog`} className="text-brand-700 underline">catalog</Link>. Submitting sends the order through the approval rules of its branch: it is placed at once, or waits for approval.
          </p>
          <NewOrderForm action={createOrderAction.bind(null, org)} branches={branches} currencies={currencies} />
        </>
      )}
    </div>
  );
}
