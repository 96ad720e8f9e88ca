"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import type { Delegation } from "@/lib/approvals/delegation-schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { formatDateTime } from "@/components/format";

type Result = ActionResult<{ message: string }>;
type Act = (prev: Result | null, form: FormData) => Promise<Result>;

// Field names the command reports, in the words the form uses.
const fieldError = (state: Result | null, field: string) => (state && !state.ok ? state.fieldErrors?.[field]?.join("; ") : undefined);

/**
 * Name a colleague to decide your approvals while you are away, and see who stands in for whom.
 * The server checks the delegate approves in your branches on their own; at each decision it
 * checks their own scope and limit again.
 */
export function DelegationsPanel({ given, received, create, end }: { given: Delegation[]; received: Delegation[]; create: Act; end: Act }) {
  const [state, dispatch, pending] = useActionState(create, null);
  const [endState, dispatchEnd, ending] = useActionState(end, null);
  const live = (d: Delegation) => d.state !== "ended";
  return (
    <section aria-labelledby="delegates-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="delegates-heading" className="text-lg font-semibold">
        Delegates
      </h2>
      <form action={dispatch} className="grid gap-3 sm:grid-cols-3">
        <TextField name="delegateEmail" label="Delegate's email" type="email" required autoComplete="off" error={fieldError(state, "delegateEmail")} hint="A colleague who approves orders in your branches." />
        <TextField name="startsAt" label="From (UTC, optional)" type="datetime-local" error={fieldError(state, "startsAt")} hint="Empty: from now." />
        <TextField name="endsAt" label="Until (UTC)" type="datetime-local" required error={fieldError(state, "endsAt")} hint="At most 180 days." />
        <div className="sm:col-span-3 space-y-2">
          <FormAlert message={state && !state.ok ? state.error : null} />
          {state?.ok ? <Notice>{state.data.message}</Notice> : null}
          <Button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? "Saving…" : "Name delegate"}
          </Button>
        </div>
      </form>
      <FormAlert message={endState && !endState.ok ? endState.error : null} />
      {endState?.ok ? <Notice>{endState.data.message}</Notice> : null}
      {given.filter(live).length + received.filter(live).length === 0 ? (
        <p className="text-sm text-slate-600">Nobody stands in for you, and you stand in for nobody.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm">
          {given.filter(live).map((d) => (
            <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span className="min-w-0 break-words">
                {d.delegate.name} ({d.delegate.email}) stands in for you, {formatDateTime(d.startsAt)} to {formatDateTime(d.endsAt)}
                {d.state === "upcoming" ? " (not yet begun)" : ""}
              </span>
              <form action={dispatchEnd}>
                <input type="hidden" name="delegationId" value={d.id} />
                <Button type="submit" variant="secondary" disabled={ending} aria-label={`End ${d.delegate.email}'s delegation`}>
                  End
                </Button>
              </form>
            </li>
          ))}
          {received.filter(live).map((d) => (
            <li key={d.id} className="py-2 break-words">
              You stand in for {d.delegator.name} ({d.delegator.email}) until {formatDateTime(d.endsAt)}
              {d.state === "upcoming" ? `, from ${formatDateTime(d.startsAt)}` : ""}.
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
