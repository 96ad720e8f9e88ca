"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Save = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

export interface ProductDefaults {
  sku: string;
  name: string;
  description: string;
  category: string;
  unit: string;
  active: boolean;
  prices: string;
}

/** A product's fields and list prices ("USD 18.99, EUR 17.50"), to add one or edit it. */
export function ProductForm({ action, submitLabel, defaults, doneMessage }: { action: Save; submitLabel: string; defaults?: ProductDefaults; doneMessage?: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const hasFieldErrors = Boolean(state && !state.ok && state.fieldErrors);
  return (
    <form onChange={fieldErrors.onChange} action={dispatch} className="grid max-w-3xl gap-4 sm:grid-cols-2">
      <TextField name="sku" label="SKU" required maxLength={64} defaultValue={defaults?.sku} error={fieldErrors.error("sku")} hint="Letters, digits and . _ / -; unique whatever the case." />
      <TextField name="name" label="Name" required maxLength={200} defaultValue={defaults?.name} error={fieldErrors.error("name")} />
      <TextField name="category" label="Category" maxLength={80} defaultValue={defaults?.category} error={fieldErrors.error("category")} />
      <TextField name="unit" label="Unit of measure" maxLength={20} defaultValue={defaults?.unit ?? "each"} error={fieldErrors.error("unit")} hint="each, box, case, kg…" />
      <TextField name="description" label="Description" multiline maxLength={2000} defaultValue={defaults?.description} error={fieldErrors.error("description")} className="sm:col-span-2" />
      <TextField name="prices" label="List prices" defaultValue={defaults?.prices} error={fieldErrors.error("prices")} hint="One per currency, e.g. USD 18.99, EUR 17.50. A currency left out has no list price." className="sm:col-span-2" />
      <label className="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
        <input type="checkbox" name="active" defaultChecked={defaults?.active ?? true} className="h-4 w-4" /> Active (customers can see and order it)
      </label>
      <div className="space-y-2 sm:col-span-2">
        <FormAlert message={state && !state.ok && !hasFieldErrors ? state.error : null} />
        {state?.ok && doneMessage ? <Notice>{doneMessage}</Notice> : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}

/** One button that runs an action (delete, remove), with its own error line. */
export function ActionButton({ action, label, pendingLabel, variant = "secondary", confirm }: { action: Save; label: string; pendingLabel: string; variant?: "primary" | "secondary"; confirm?: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form
      action={dispatch}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
      className="inline-flex flex-col gap-1"
    >
      <Button type="submit" variant={variant} disabled={pending} aria-busy={pending}>
        {pending ? pendingLabel : label}
      </Button>
      <FormAlert message={state && !state.ok ? state.error : null} />
    </form>
  );
}

/** Sets one account's own price for this product. */
export function AccountPriceForm({ action, accounts }: { action: Save; accounts: Array<{ id: string; name: string; currencies: string[] }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const select = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm";
  return (
    <form onChange={fieldErrors.onChange} action={dispatch} className="grid max-w-3xl gap-3 sm:grid-cols-4 sm:items-end">
      <label className="text-sm font-medium text-slate-700">
        Account
        <select name="accountId" className={select} required>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.currencies.join(", ")})
            </option>
          ))}
        </select>
      </label>
      <TextField name="currency" label="Currency" maxLength={3} defaultValue={accounts[0]?.currencies[0] ?? "USD"} error={fieldErrors.error("currency")} />
      <TextField name="price" label="Price" inputMode="decimal" required error={fieldErrors.error("unitPriceMinor", "price")} />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : "Set account price"}
      </Button>
      <div className="sm:col-span-4">
        <FormAlert message={state && !state.ok && !state.fieldErrors ? state.error : null} />
        {state?.ok ? <Notice>Account price saved.</Notice> : null}
      </div>
    </form>
  );
}
