"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";

type Act = (prev: ActionResult<{ id: string }> | null, form: FormData) => Promise<ActionResult<{ id: string }>>;

/** One order action (submit, approve, reject, cancel) with an optional comment and the version seen. */
export function OrderActionForm({ action, label, version, comment = false, variant = "primary", done }: { action: Act; label: string; version: number; comment?: boolean; variant?: "primary" | "secondary"; done: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form action={dispatch} className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 sm:max-w-md">
      <input type="hidden" name="version" value={version} />
      {comment ? (
        <label className="text-sm text-slate-700">
          Comment (optional)
          <textarea name="comment" rows={2} maxLength={2000} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
        </label>
      ) : null}
      <FormAlert message={state && !state.ok ? state.error : null} />
      {state?.ok ? <Notice>{done}</Notice> : null}
      <Button type="submit" variant={variant} disabled={pending} aria-busy={pending}>
        {pending ? "Working…" : label}
      </Button>
    </form>
  );
}
