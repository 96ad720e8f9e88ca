"use client";

import { useActionState, useState, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";

type Save = (prev: unknown, input: { requireSso: boolean; breakGlassEmails: string[] }) => Promise<ActionResult<{ requireSso: boolean; breakGlass: string[] }>>;

/** "Require SSO" and the break-glass members who may still use a password (audited loudly). */
export function PolicyForm({ action, requireSso, breakGlass }: { action: Save; requireSso: boolean; breakGlass: string[] }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [checked, setChecked] = useState(requireSso);
  const [emails, setEmails] = useState(breakGlass.join("\n"));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const list = emails.split(/[\s,]+/).map((e) => e.trim()).filter(Boolean);
    startTransition(() => dispatch({ requireSso: checked, breakGlassEmails: list }));
  };
  const fieldError = state && !state.ok ? state.fieldErrors?.breakGlassEmails?.[0] : undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="SSO policy">
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5 size-4" checked={checked} onChange={(e) => setChecked(e.target.checked)} />
        <span className="font-medium text-slate-800">Require single sign-on for the accounts at our verified domains</span>
      </label>
      <FormField label="Break-glass members: emails who may still sign in with a password (one per line)" error={fieldError ? `Break-glass members: ${fieldError}.` : undefined}>
        {(props) => <textarea {...props} rows={2} value={emails} onChange={(e) => setEmails(e.target.value)} />}
      </FormField>
      <FormAlert message={state && !state.ok ? state.error : null} />
      {state?.ok ? <Notice>{state.data.requireSso ? `Saved: password sign-in is refused for owned accounts, except ${state.data.breakGlass.join(", ")}.` : "Saved: password sign-in stays allowed."}</Notice> : null}
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : "Save policy"}
      </Button>
    </form>
  );
}
