"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Save = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

interface Props {
  action: Save;
  submitLabel: string;
  doneMessage: string;
  /** Opening an account: the customer organizations that have none yet. */
  organizations?: Array<{ id: string; name: string; slug: string }>;
  defaults?: { tier: string; baseCurrency: string; creditLimit: string; currencies: string };
}

/** Tier, base currency, credit limit and the other currencies with their rates: to open an account or change one. */
export function AccountTermsForm({ action, submitLabel, doneMessage, organizations, defaults }: Props) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const hasFieldErrors = Boolean(state && !state.ok && state.fieldErrors);
  return (
    <form onChange={fieldErrors.onChange} action={dispatch} className="grid max-w-3xl gap-4 sm:grid-cols-2">
      {organizations ? (
        <div className="sm:col-span-2">
          <label htmlFor="account-org" className="block text-sm font-medium text-slate-700">
            Customer organization
          </label>
          <select id="account-org" name="orgId" required className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" aria-describedby={fieldErrors.error("orgId") ? "account-org-error" : undefined}>
            {organizations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.slug})
              </option>
            ))}
          </select>
          {fieldErrors.error("orgId") ? (
            <p id="account-org-error" className="mt-1 text-sm text-red-700">
              {fieldErrors.error("orgId")}
            </p>
          ) : null}
        </div>
      ) : null}
      <TextField name="tier" label="Tier" defaultValue={defaults?.tier ?? "Standard"} maxLength={40} error={fieldErrors.error("tier")} hint="Your own label, such as Gold; the customer does not see it." />
      <TextField name="baseCurrency" label="Base currency" defaultValue={defaults?.baseCurrency ?? "USD"} maxLength={3} autoCapitalize="characters" error={fieldErrors.error("baseCurrency")} hint="ISO 4217, such as USD. Rule totals and the credit limit are in it." />
      <TextField name="creditLimit" label="Credit limit (base currency)" defaultValue={defaults?.creditLimit ?? ""} inputMode="decimal" error={fieldErrors.error("creditLimitMinor", "creditLimit")} hint="For example 250000.00; empty for no limit." />
      <TextField name="currencies" label="Other currencies and rates" defaultValue={defaults?.currencies ?? ""} error={fieldErrors.error("currencies")} hint="One unit in the base currency, e.g. EUR 1.08, CAD 0.73." />
      <div className="sm:col-span-2 space-y-2">
        <FormAlert message={state && !state.ok && !hasFieldErrors ? state.error : null} />
        {state?.ok ? <Notice>{doneMessage}</Notice> : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
