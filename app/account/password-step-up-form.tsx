"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { reauthenticateAction } from "./actions";

export function PasswordStepUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  return (
    <form
      noValidate
      className="mt-6 space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        if (!password) return setError("Enter your password.");
        startTransition(async () => {
          const result = await reauthenticateAction(callbackUrl, { password });
          setPassword("");
          if (result.ok) return window.location.assign(result.data.redirectTo);
          setError(result.error);
        });
      }}
    >
      <FormField label="Password" error={error ?? undefined}>
        {(props) => <input {...props} type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} />}
      </FormField>
      <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? "Checking…" : "Confirm"}
      </Button>
    </form>
  );
}
