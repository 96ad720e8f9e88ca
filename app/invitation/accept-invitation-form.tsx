"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { ActionResult } from "@/lib/core/action-result";
import { acceptInvitationFormSchema, type AcceptInvitationForm } from "@/lib/identity/link-schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Accept = (prev: ActionResult | null, input: { name?: string; password?: string }) => Promise<ActionResult>;

/** A new person chooses their name and password. */
export function AcceptInvitationForm({ action, defaultName }: { action: Accept; defaultName: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  const form = useForm<AcceptInvitationForm>({ resolver: plainResolver(acceptInvitationFormSchema), defaultValues: { name: defaultName, password: "", confirm: "" } });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  const onSubmit = form.handleSubmit(({ name, password }) => startTransition(() => dispatch({ name, password })));
  return (
    <form onChange={fieldErrors.onChange} onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormField label="Your name" error={errors.name?.message ?? fieldErrors.error("name")}>
        {(props) => <input {...props} {...form.register("name")} autoComplete="name" autoFocus />}
      </FormField>
      <FormField label="Password" error={errors.password?.message ?? fieldErrors.error("password")}>
        {(props) => <input {...props} {...form.register("password")} type="password" autoComplete="new-password" />}
      </FormField>
      <FormField label="Confirm password" error={errors.confirm?.message}>
        {(props) => <input {...props} {...form.register("confirm")} type="password" autoComplete="new-password" />}
      </FormField>
      <p className="text-xs text-slate-600">At least 8 characters; a long phrase is best. Very common passwords are refused.</p>
      <FormAlert message={state && !state.ok && !server ? state.error : null} />
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Setting up…" : "Accept and set password"}
      </Button>
    </form>
  );
}

/** Someone who already has an account, signed in as that account, accepts with one press. */
export function JoinWithExistingAccount({ action }: { action: Accept }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form action={() => dispatch({})} className="mt-6 space-y-4">
      <FormAlert message={state && !state.ok ? state.error : null} />
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Joining…" : "Accept the invitation"}
      </Button>
    </form>
  );
}
