"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import type { z } from "zod";
import type { ActionResult } from "@/lib/core/action-result";
import { passwordResetRequestSchema } from "@/lib/identity/link-schemas";
import { FormAlert } from "@/components/access/form-alert";
import { Notice } from "@/components/access/notice";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { useFieldErrors } from "@/components/ui/use-field-errors";

type Request = z.infer<typeof passwordResetRequestSchema>;
type RequestReset = (prev: ActionResult<{ notice: string }> | null, input: Request) => Promise<ActionResult<{ notice: string }>>;

export function ForgotPasswordForm({ action }: { action: RequestReset }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const fieldErrors = useFieldErrors(state);
  const [, startTransition] = useTransition();
  const form = useForm<Request>({ resolver: plainResolver(passwordResetRequestSchema), defaultValues: { email: "" } });
  const errors = form.formState.errors;
  const server = state && !state.ok ? state.fieldErrors : undefined;
  const onSubmit = form.handleSubmit((values) => startTransition(() => dispatch(values)));

  if (state?.ok) return <div className="mt-6"><Notice>{state.data.notice}</Notice></div>;
  return (
    <form onChange={fieldErrors.onChange} onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormField label="Email" error={errors.email?.message ?? fieldErrors.error("email")}>
        {(props) => <input {...props} {...form.register("email")} type="email" autoComplete="username" autoFocus />}
      </FormField>
      <FormAlert message={state && !state.ok && !server ? state.error : null} />
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Sending…" : "Send reset link"}
      </Button>
    </form>
  );
}
