"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { Button } from "@/components/ui/button";

type Revoke = (prev: ActionResult<{ id: string }> | null) => Promise<ActionResult<{ id: string }>>;

/**
 * One grant's revoke control; the server checks users:manage at the grant's branch again. The
 * first press only asks, as deactivating does: a revoked grant takes access away at once.
 */
export function RevokeGrantButton({ action, label }: { action: Revoke; label: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  // The question stays open only until this control's next result arrives.
  const [askedAt, setAskedAt] = useState<{ state: typeof state } | null>(null);
  const asking = askedAt !== null && askedAt.state === state;
  const error = state && !state.ok ? (
    <span role="alert" className="text-xs text-red-700">
      {state.error}
    </span>
  ) : null;
  if (!asking && !pending) {
    return (
      <span className="inline-flex flex-wrap items-center gap-2">
        {error}
        <Button type="button" variant="secondary" aria-label={label} onClick={() => setAskedAt({ state })}>
          Revoke
        </Button>
      </span>
    );
  }
  return (
    <form action={dispatch} role="group" aria-label={label} className="inline-flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-2 py-1">
      <span className="text-xs text-amber-900">Revoke this grant? Access it gives ends now.</span>
      {/* Opened by a keypress or click: the answer is where focus goes. */}
      <Button type="submit" autoFocus disabled={pending} aria-busy={pending}>
        {pending ? "Revoking…" : "Yes, revoke"}
      </Button>
      <Button type="button" variant="secondary" disabled={pending} onClick={() => setAskedAt(null)}>
        Cancel
      </Button>
    </form>
  );
}
