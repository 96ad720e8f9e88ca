"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import type { BranchAddress } from "@/lib/branch-addresses/schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Save = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

/** An address's fields: to add one to a branch or change one. Street lines go one per line. */
export function AddressForm({ action, address, submitLabel, doneMessage }: { action: Save; address?: BranchAddress; submitLabel: string; doneMessage: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const hasFieldErrors = Boolean(state && !state.ok && state.fieldErrors);
  return (
    <form onChange={fieldErrors.onChange} action={dispatch} className="grid gap-3 sm:grid-cols-2">
      <TextField name="label" label="Label" required maxLength={80} defaultValue={address?.label} error={fieldErrors.error("label")} hint="Such as Dock 4 or Head office." />
      <TextField name="country" label="Country" required maxLength={2} defaultValue={address?.country} error={fieldErrors.error("country")} hint="Two letters (ISO 3166), such as US or DE." />
      <TextField name="lines" label="Street" multiline required defaultValue={address?.lines.join("\n")} error={fieldErrors.error("lines")} hint="One to four lines." className="sm:col-span-2" />
      <TextField name="city" label="City" required maxLength={80} defaultValue={address?.city} error={fieldErrors.error("city")} />
      <TextField name="region" label="State or region" maxLength={80} defaultValue={address?.region} error={fieldErrors.error("region")} />
      <TextField name="postalCode" label="Postal code" maxLength={20} defaultValue={address?.postalCode} error={fieldErrors.error("postalCode")} />
      <div className="flex flex-col justify-end gap-2 text-sm text-slate-700">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="isShipTo" defaultChecked={address?.isShipTo ?? true} className="h-4 w-4" /> Orders can ship here
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="isDefault" defaultChecked={address?.isDefault ?? false} className="h-4 w-4" /> Default address of the branch
        </label>
      </div>
      <div className="space-y-2 sm:col-span-2">
        <FormAlert message={state && !state.ok && !hasFieldErrors ? state.error : null} />
        {state?.ok ? <Notice>{doneMessage}</Notice> : null}
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}

/** Removes one address, after a confirmation. */
export function RemoveAddressButton({ action, label }: { action: Save; label: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form action={dispatch} onSubmit={(e) => { if (!window.confirm(`Remove the address "${label}"? Orders keep their own copy.`)) e.preventDefault(); }}>
      <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
        {pending ? "Removing…" : "Remove"}
      </Button>
      <FormAlert message={state && !state.ok ? state.error : null} />
    </form>
  );
}
