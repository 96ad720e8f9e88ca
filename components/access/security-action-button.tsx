"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";

type State = ActionResult<{ message: string }> | null;
type Run = (prev: State) => Promise<Exclude<State, null>>;

export interface Confirmation {
  question: string;
  yes: string;
}

/**
 * One sign-in control (a member's page, the person's own Security page). With `confirm`, the first press only asks; the
 * change happens on "yes". The server checks the permission again whatever the page showed.
 */
export function SecurityActionButton({
  action,
  label,
  pendingLabel,
  confirm,
  resultOnly = false,
}: {
  action: Run;
  label: string;
  pendingLabel: string;
  confirm?: Confirmation;
  /** Nothing left to do (the page re-rendered after the change): show the last result, no button. */
  resultOnly?: boolean;
}) {
  const [state, dispatch, pending] = useActionState(action, null);
  // The question stays open only until this control's next result arrives.
  const [askedAt, setAskedAt] = useState<{ state: State } | null>(null);
  const asking = askedAt !== null && askedAt.state === state;
  const result = state?.ok ? <Notice>{state.data.message}</Notice> : <FormAlert message={state && !state.ok ? state.error : null} />;
  if (resultOnly && !pending) return state ? <div>{result}</div> : null;

  return (
    <div className="space-y-2">
      {confirm && (asking || pending) ? (
        <form action={dispatch} role="group" aria-label={label} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
          <p className="text-sm text-amber-900">{confirm.question}</p>
          <div className="flex flex-wrap gap-2">
            {/* The question was just opened by a keypress or click: the answer is where focus goes. */}
            <Button type="submit" autoFocus disabled={pending} aria-busy={pending}>
              {pending ? pendingLabel : confirm.yes}
            </Button>
            <Button type="button" variant="secondary" disabled={pending} onClick={() => setAskedAt(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : confirm ? (
        <Button type="button" variant="secondary" onClick={() => setAskedAt({ state })}>
          {label}
        </Button>
      ) : (
        <form action={dispatch}>
          <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
            {pending ? pendingLabel : label}
          </Button>
        </form>
      )}
      {result}
    </div>
  );
}
