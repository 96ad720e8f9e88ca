"use client";

import { useActionState, useEffect, useTransition } from "react";
import { useForm } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { ActionResult } from "@/lib/core/action-result";
import { changePasswordFormSchema, type ChangePasswordForm as Values } from "@/lib/identity/change-password-form-schema";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Done = ActionResult<{ message: string }>;
type Change = (prev: Done | null, input: { currentPassword: string; newPassword: string }) => Promise<Done>;

const empty: Values = { currentPassword: "", newPassword: "", confirmPassword: "" };

/** Current, new and confirmation; only the first two go to the server, and nothing comes back. */
export function ChangePasswordForm({ action }: { action: Change }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  const form = useForm<Values>({ resolver: plainResolver(changePasswordFormSchema), defaultValues: empty });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;

  // Clear every field once the change is saved, so no password lingers in the page.
  useEffect(() => {
    if (state?.ok) form.reset(empty);
  }, [state, form]);

  const onSubmit = form.handleSubmit(({ currentPassword, newPassword }) => startTransition(() => dispatch({ currentPassword, newPassword })));
  return (
    <form onChange={fieldErrors.onChange} onSubmit={onSubmit} noValidate className="max-w-md space-y-4">
      <FormField label="Current password" error={errors.currentPassword?.message ?? fieldErrors.error("currentPassword")}>
        {(props) => <input {...props} {...form.register("currentPassword")} type="password" autoComplete="current-password" />}
      </FormField>
      <FormField label="New password" error={errors.newPassword?.message ?? fieldErrors.error("newPassword")}>
        {(props) => <input {...props} {...form.register("newPassword")} type="password" autoComplete="new-password" />}
      </FormField>
      <FormField label="Confirm new password" error={errors.confirmPassword?.message}>
        {(props) => <input {...props} {...form.register("confirmPassword")} type="password" autoComplete="new-password" />}
      </FormField>
      <p className="text-xs text-slate-600">At least 8 characters; a long phrase is best. Very common passwords are refused. Your other sessions are signed out when it changes.</p>
      <div>
        <FormAlert message={state && !state.ok && !server ? state.error : null} />
        {state?.ok ? <Notice>{state.data.message}</Notice> : null}
      </div>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
