"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { Button } from "@/components/ui/button";

type Act = () => Promise<ActionResult<unknown>>;

/**
 * One button for one server action. With `question`, the first press only asks, and the answer
 * takes the focus (keyboard users land on it); without, it runs at once. The outcome is shown
 * beside the button; `onDone` gets a success (Test connection follows its redirect there).
 */
export function ConfirmActionButton({ action, label, question, confirmLabel, pendingLabel, done, onDone, variant = "secondary" }: { action: Act; label: string; question?: string; confirmLabel?: string; pendingLabel: string; done?: string; onDone?: (data: unknown) => void; variant?: "primary" | "secondary" }) {
  const [state, dispatch, pending] = useActionState(async (): Promise<ActionResult<unknown> | null> => {
    const result = await action();
    if (result.ok) onDone?.(result.data);
    return result;
  }, null);
  const [askedAt, setAskedAt] = useState<{ state: typeof state } | null>(null);
  const asking = question !== undefined && askedAt !== null && askedAt.state === state;
  const outcome = state ? (
    state.ok ? (
      done ? <span role="status" className="text-xs text-emerald-800">{done}</span> : null
    ) : (
      <span role="alert" className="text-xs text-red-700">
        {state.error}
        {state.fieldErrors ? ` ${Object.values(state.fieldErrors).flat().join(" ")}` : ""}
      </span>
    )
  ) : null;
  if (!asking && !pending) {
    return (
      <span className="inline-flex flex-wrap items-center gap-2">
        {question === undefined ? (
          <form action={dispatch}>
            <Button type="submit" variant={variant}>
              {label}
            </Button>
          </form>
        ) : (
          <Button type="button" variant={variant} onClick={() => setAskedAt({ state })}>
            {label}
          </Button>
        )}
        {outcome}
      </span>
    );
  }
  return (
    <form action={dispatch} role="group" aria-label={label} className="inline-flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-2 py-1">
      {question ? <span className="text-xs text-amber-900">{question}</span> : null}
      <Button type="submit" autoFocus disabled={pending} aria-busy={pending}>
        {pending ? pendingLabel : (confirmLabel ?? label)}
      </Button>
      {question ? (
        <Button type="button" variant="secondary" disabled={pending} onClick={() => setAskedAt(null)}>
          Cancel
        </Button>
      ) : null}
    </form>
  );
}
