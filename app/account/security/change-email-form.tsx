"use client";

import { useActionState, useEffect, useTransition } from "react";
import { useForm } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { ActionResult } from "@/lib/core/action-result";
import { requestEmailChangeSchema, type RequestEmailChangeForm } from "@/lib/identity/email-change-form-schema";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Done = ActionResult<{ message: string }>;
type Request = (prev: Done | null, input: RequestEmailChangeForm) => Promise<Done>;

/** The new address; the change happens only once the link mailed to it is opened. */
export function ChangeEmailForm({ action, currentEmail }: { action: Request; currentEmail: string }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  const form = useForm<RequestEmailChangeForm>({ resolver: plainResolver(requestEmailChangeSchema), defaultValues: { newEmail: "" } });
  const server = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    if (state?.ok) form.reset({ newEmail: "" });
  }, [state, form]);

  return (
    <form onChange={fieldErrors.onChange} onSubmit={form.handleSubmit((values) => startTransition(() => dispatch(values)))} noValidate className="max-w-md space-y-4">
      <p className="text-sm text-slate-700">
        You sign in as <strong data-testid="current-email">{currentEmail}</strong>.
      </p>
      <FormField label="New email" error={form.formState.errors.newEmail?.message ?? fieldErrors.error("newEmail")}>
        {(props) => <input {...props} {...form.register("newEmail")} type="email" autoComplete="email" />}
      </FormField>
      <p className="text-xs text-slate-600">We mail a link to the new address; it becomes your sign-in email when you open it, and your current address is told. This needs a recent sign-in.</p>
      <div>
        <FormAlert message={state && !state.ok && !server ? state.error : null} />
        {state?.ok ? <Notice>{state.data.message}</Notice> : null}
      </div>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Sending…" : "Send confirmation link"}
      </Button>
    </form>
  );
}
