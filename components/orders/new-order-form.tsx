"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Save = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

export interface BranchChoice {
  id: string;
  label: string;
  addresses: Array<{ id: string; label: string; isDefault: boolean }>;
}

/**
 * The new-order form: a branch where the buyer may order, lines as "SKU quantity" per line
 * (priced by the server from the catalog), delivery date, ship-to and a note. "Save draft" or
 * "Submit" (the approval rules then decide).
 */
export function NewOrderForm({ action, branches, currencies }: { action: Save; branches: BranchChoice[]; currencies: string[] }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  // Each reason already names its line ("Line 2 quantity must be …"); they clear once Lines is edited.
  const lineErrors = state && !state.ok && state.fieldErrors && !fieldErrors.edited("lines") ? Object.values(Object.fromEntries(Object.entries(state.fieldErrors).filter(([k]) => k.startsWith("lines")))).flat() : [];
  const hasFieldErrors = Boolean(state && !state.ok && state.fieldErrors);
  return (
    <form onChange={fieldErrors.onChange} action={dispatch} className="grid max-w-3xl gap-4 sm:grid-cols-2">
      <div>
        <label htmlFor="branchId" className="block text-sm font-medium text-slate-700">
          Branch
        </label>
        <select id="branchId" name="branchId" required className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm">
          {branches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.label}
            </option>
          ))}
        </select>
        {fieldErrors.error("branchId") ? <p className="mt-1 text-sm text-red-700">{fieldErrors.error("branchId")}</p> : null}
      </div>
      <div>
        <label htmlFor="shipToAddressId" className="block text-sm font-medium text-slate-700">
          Ship to
        </label>
        <select id="shipToAddressId" name="shipToAddressId" className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" aria-describedby="ship-hint">
          <option value="">The branch&apos;s default ship-to address</option>
          {branches.flatMap((b) =>
            b.addresses.map((a) => (
              <option key={a.id} value={a.id}>
                {b.label.trim()}: {a.label}
              </option>
            )),
          )}
        </select>
        <p id="ship-hint" className="mt-1 text-xs text-slate-500">
          Must be one of the chosen branch&apos;s addresses.
        </p>
        {fieldErrors.error("shipToAddressId") ? <p className="mt-1 text-sm text-red-700">{fieldErrors.error("shipToAddressId")}</p> : null}
      </div>
      <TextField
        name="lines"
        label="Lines"
        multiline
        required
        className="sm:col-span-2"
        placeholder={"HX-2210 12\nBRG-6204 40"}
        hint="One per line: the SKU, then the quantity. Prices come from the catalog at your account's price."
        error={lineErrors.length ? lineErrors.join(" ") : undefined}
      />
      <div>
        <label htmlFor="currency" className="block text-sm font-medium text-slate-700">
          Currency
        </label>
        <select id="currency" name="currency" className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm">
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {fieldErrors.error("currency") ? <p className="mt-1 text-sm text-red-700">{fieldErrors.error("currency")}</p> : null}
      </div>
      <TextField name="requestedDeliveryDate" label="Requested delivery date" type="date" error={fieldErrors.error("requestedDeliveryDate")} />
      <TextField name="note" label="Note" multiline maxLength={2000} className="sm:col-span-2" error={fieldErrors.error("note")} />
      <div className="flex flex-wrap items-center gap-2 sm:col-span-2">
        <FormAlert message={state && !state.ok && !hasFieldErrors ? state.error : state && !state.ok ? state.error : null} />
        <Button type="submit" name="intent" value="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : "Submit order"}
        </Button>
        <Button type="submit" name="intent" value="draft" variant="secondary" disabled={pending}>
          Save as draft
        </Button>
      </div>
    </form>
  );
}
