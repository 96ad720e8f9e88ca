"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { ActionResult } from "@/lib/core/action-result";
import { newPasswordFormSchema, type NewPasswordForm } from "@/lib/identity/link-schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Complete = (prev: ActionResult | null, input: { password: string }) => Promise<ActionResult>;

export function ResetPasswordForm({ action }: { action: Complete }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  const form = useForm<NewPasswordForm>({ resolver: plainResolver(newPasswordFormSchema), defaultValues: { password: "", confirm: "" } });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  // Only the password goes to the server; the confirmation is checked here.
  const onSubmit = form.handleSubmit(({ password }) => startTransition(() => dispatch({ password })));
  return (
    <form onChange={fieldErrors.onChange} onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormField label="New password" error={errors.password?.message ?? fieldErrors.error("password")}>
        {(props) => <input {...props} {...form.register("password")} type="password" autoComplete="new-password" autoFocus />}
      </FormField>
      <FormField label="Confirm new password" error={errors.confirm?.message}>
        {(props) => <input {...props} {...form.register("confirm")} type="password" autoComplete="new-password" />}
      </FormField>
      <p className="text-xs text-slate-600">At least 8 characters; a long phrase is best. Very common passwords are refused.</p>
      <FormAlert message={state && !state.ok && !server ? state.error : null} />
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
