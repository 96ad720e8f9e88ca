"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";

type Delete = (prev: ActionResult<{ id: string }> | null) => Promise<ActionResult<{ id: string }>>;

/**
 * Deletes the branch after a second press, as revoking a grant does. The server refuses a branch
 * that still has children, grants, orders or rules, and says which; once gone, the panel closes.
 */
export function DeleteBranchButton({ action, branchName, doneHref }: { action: Delete; branchName: string; doneHref: string }) {
  const router = useRouter();
  const [state, dispatch, pending] = useActionState(action, null);
  const [askedAt, setAskedAt] = useState<{ state: typeof state } | null>(null);
  const asking = askedAt !== null && askedAt.state === state;
  useEffect(() => {
    if (state?.ok) router.push(doneHref);
  }, [state, router, doneHref]);
  return (
    <div className="space-y-2 border-t border-slate-200 pt-4">
      <h3 className="text-sm font-medium text-slate-700">Delete branch</h3>
      <p className="text-xs text-slate-500">Only an empty branch can be deleted: no child branches, grants, orders, approval rules or SSO rules. Its addresses go with it.</p>
      <FormAlert message={state && !state.ok ? state.error : null} />
      {asking || pending ? (
        <form action={dispatch} role="group" aria-label={`Delete ${branchName}`} className="inline-flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-2 py-1">
          <span className="text-xs text-amber-900">Delete {branchName}? This cannot be undone.</span>
          <Button type="submit" autoFocus disabled={pending} aria-busy={pending}>
            {pending ? "Deleting…" : "Yes, delete"}
          </Button>
          <Button type="button" variant="secondary" disabled={pending} onClick={() => setAskedAt(null)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button type="button" variant="secondary" onClick={() => setAskedAt({ state })}>
          Delete {branchName}
        </Button>
      )}
    </div>
  );
}
