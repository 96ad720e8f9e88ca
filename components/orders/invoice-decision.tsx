"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";

type Result = ActionResult<{ message: string }>;

/** Approve or dispute one issued invoice; a dispute says what is wrong in the comment. */
export function InvoiceDecision({ invoiceId, number, version, action }: { invoiceId: string; number: string; version: number; action: (prev: Result | null, form: FormData) => Promise<Result> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  if (state?.ok) return <Notice>{state.data.message}</Notice>;
  const commentError = state && !state.ok ? state.fieldErrors?.comment?.join("; ") : undefined;
  return (
    <form action={dispatch} className="mt-2 space-y-2">
      <input type="hidden" name="invoiceId" value={invoiceId} />
      <input type="hidden" name="version" value={version} />
      <label className="block text-sm text-slate-700">
        Comment on {number} (needed to dispute)
        <textarea name="comment" rows={2} maxLength={2000} aria-invalid={Boolean(commentError)} className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm" />
      </label>
      {commentError ? <p className="text-xs text-red-700">{commentError}</p> : null}
      <FormAlert message={state && !state.ok ? state.error : null} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" name="decision" value="approve" disabled={pending} aria-busy={pending}>
          Approve
        </Button>
        <Button type="submit" name="decision" value="dispute" variant="secondary" disabled={pending}>
          Dispute
        </Button>
      </div>
    </form>
  );
}
