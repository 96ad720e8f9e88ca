"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { Button } from "@/components/ui/button";

type Revoke = (prev: ActionResult<{ id: string }> | null) => Promise<ActionResult<{ id: string }>>;

/** One grant's revoke control; the server checks users:manage at the grant's branch again. */
export function RevokeGrantButton({ action, label }: { action: Revoke; label: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form action={dispatch} className="inline-flex items-center gap-2">
      {state && !state.ok ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
      <Button type="submit" variant="secondary" aria-label={label} disabled={pending} aria-busy={pending}>
        {pending ? "Revoking…" : "Revoke"}
      </Button>
    </form>
  );
}
