"use client";

import { useActionState, useTransition } from "react";
import { useForm } from "react-hook-form";
import { plainResolver } from "@/components/ui/plain-resolver";
import { signInSchema, type SignInInput } from "@/lib/identity/schemas";
import { FormField } from "@/components/ui/form-field";
import { Button } from "@/components/ui/button";
import { signInAction } from "./actions";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, formAction] = useActionState(signInAction, null);
  const [pending, startTransition] = useTransition();
  const form = useForm<SignInInput>({ resolver: plainResolver(signInSchema), defaultValues: { email: "", password: "" } });
  const errors = form.formState.errors;

  const onSubmit = form.handleSubmit((values) => {
    const data = new FormData();
    data.set("email", values.email);
    data.set("password", values.password);
    data.set("callbackUrl", callbackUrl);
    startTransition(() => formAction(data));
  });

  const serverFieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4">
      <FormField label="Email" error={errors.email?.message ?? serverFieldErrors?.email?.[0]}>
        {(props) => <input {...props} {...form.register("email")} type="email" autoComplete="username" autoFocus />}
      </FormField>
      <FormField label="Password" error={errors.password?.message ?? serverFieldErrors?.password?.[0]}>
        {(props) => <input {...props} {...form.register("password")} type="password" autoComplete="current-password" />}
      </FormField>
      {state && !state.ok && !serverFieldErrors ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
