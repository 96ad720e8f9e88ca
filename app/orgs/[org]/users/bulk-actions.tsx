"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { BranchSelectOptions } from "@/components/access/branch-select-options";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import type { BulkOutcome } from "./bulk-action";

type Bulk = (prev: ActionResult<BulkOutcome> | null, form: FormData) => Promise<ActionResult<BulkOutcome>>;

export const BULK_FORM_ID = "bulk-members";

/**
 * Bulk actions on the members ticked in the table (their checkboxes belong to this form through
 * the `form` attribute): deactivate, grant a role at a branch, or move to a branch. The server
 * runs one command per member and reports the ones it could not change.
 */
export function BulkActions({ action, roles, branches, emails }: { action: Bulk; roles: Array<{ id: string; name: string }>; branches: Array<{ value: string; label: string; depth: number }>; emails: Record<string, string> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [kind, setKind] = useState("deactivate");
  const field = "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm sm:w-auto";
  return (
    <form id={BULK_FORM_ID} action={dispatch} aria-label="Bulk actions on selected members" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
      <label className="text-sm text-slate-700">
        With the selected members
        <select name="action" value={kind} onChange={(e) => setKind(e.target.value)} className={field}>
          <option value="deactivate">Deactivate</option>
          <option value="grant">Grant a role at a branch</option>
          <option value="move">Move to a branch (keep their roles)</option>
        </select>
      </label>
      {kind === "grant" ? (
        <label className="text-sm text-slate-700">
          Role
          <select name="roleId" className={field} defaultValue="">
            <option value="" disabled>
              Choose a role
            </option>
            {roles.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {kind !== "deactivate" ? (
        <label className="text-sm text-slate-700">
          Branch
          <select name="branchId" className={field} defaultValue={branches[0]?.value ?? ""}>
            <BranchSelectOptions branches={branches} />
          </select>
        </label>
      ) : null}
      <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
        {pending ? "Applying…" : "Apply"}
      </Button>
      <div className="basis-full space-y-1" aria-live="polite">
        {state && !state.ok ? <FormAlert message={state.fieldErrors ? Object.values(state.fieldErrors).flat().join("; ") : state.error} /> : null}
        {state?.ok ? (
          <p className="text-sm text-slate-700">
            {`Changed ${state.data.done} member${state.data.done === 1 ? "" : "s"}.`}
            {state.data.failed.length ? ` Not changed: ${state.data.failed.map((f) => `${emails[f.member] ?? f.member} (${f.error})`).join("; ")}` : ""}
          </p>
        ) : null}
      </div>
    </form>
  );
}
