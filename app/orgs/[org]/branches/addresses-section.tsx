import { listBranchAddresses } from "@/lib/branch-addresses/list-branch-addresses";
import type { Principal } from "@/lib/core/context";
import { readAs } from "@/lib/core/read-as";
import { addAddressAction, removeAddressAction, updateAddressAction } from "./address-actions";
import { AddressForm, RemoveAddressButton } from "./address-form";

/** A branch's addresses: listed for whoever may order for it, editable with branches:manage there. */
export async function AddressesSection({ principal, org, branchId, canManage }: { principal: Principal; org: string; branchId: string; canManage: boolean }) {
  const addresses = await readAs(principal, (tx) => listBranchAddresses(tx, principal, branchId));
  if (!addresses) return null;
  return (
    <section aria-labelledby="addresses-heading" className="space-y-3 border-t border-slate-200 pt-4">
      <h3 id="addresses-heading" className="font-medium">
        Addresses
      </h3>
      {addresses.length === 0 ? <p className="text-sm text-slate-600">No addresses yet{canManage ? ": add the first one below." : "."}</p> : null}
      <ul className="space-y-3">
        {addresses.map((a) => (
          <li key={a.id} className="rounded-md border border-slate-200 p-3 text-sm">
            <p className="font-medium">
              {a.label}
              {a.isDefault ? <span className="ml-2 rounded-full bg-sky-100 px-2 py-0.5 text-xs text-sky-800">default</span> : null}
              {a.isShipTo ? <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">ship-to</span> : null}
            </p>
            <address className="not-italic text-slate-700">
              {a.lines.map((l, i) => (
                <span key={i} className="block">
                  {l}
                </span>
              ))}
              <span className="block">{[a.city, a.region, a.postalCode].filter(Boolean).join(", ")}</span>
              <span className="block">{a.country}</span>
            </address>
            {canManage ? (
              <details className="mt-2">
                <summary className="cursor-pointer text-brand-700 underline">Edit or remove</summary>
                <div className="mt-2 space-y-3">
                  <AddressForm action={updateAddressAction.bind(null, org, branchId, a.id)} address={a} submitLabel="Save address" doneMessage="Address saved." />
                  <RemoveAddressButton action={removeAddressAction.bind(null, org, branchId, a.id)} label={a.label} />
                </div>
              </details>
            ) : null}
          </li>
        ))}
      </ul>
      {canManage ? (
        <details>
          <summary className="cursor-pointer text-sm text-brand-700 underline">Add an address</summary>
          <div className="mt-2">
            <AddressForm action={addAddressAction.bind(null, org, branchId)} submitLabel="Add address" doneMessage="Address added." />
          </div>
        </details>
      ) : null}
    </section>
  );
}
