"use client";

import { useActionState, useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";

type Result = ActionResult<{ requireMfa: boolean }>;
type Save = (prev: Result | null, input: { requireMfa: boolean }) => Promise<Result>;

/** One checkbox and Save; the server checks org:manage and a recent second factor again. */
export function MfaPolicyForm({ action, requireMfa }: { action: Save; requireMfa: boolean }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [checked, setChecked] = useState(requireMfa);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    startTransition(() => dispatch({ requireMfa: checked }));
  };
  return (
    <form onSubmit={onSubmit} className="space-y-3">
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5 size-4" checked={checked} onChange={(e) => setChecked(e.target.checked)} aria-describedby="mfa-policy-help" />
        <span className="font-medium text-slate-800">Require two-step verification for every member</span>
      </label>
      <div>
        <FormAlert message={state && !state.ok ? state.error : null} />
        {state?.ok ? <Notice>{state.data.requireMfa ? "Saved: every member now needs two-step verification." : "Saved: only members with admin-class permissions need two-step verification."}</Notice> : null}
      </div>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : "Save"}
      </Button>
    </form>
  );
}
