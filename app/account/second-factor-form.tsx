"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { PasskeyVerifyButton } from "@/components/mfa/passkey-verify-button";
import { startPasskeyAuthenticationAction, verifyPasskeyAction, verifySecondFactorAction } from "./actions";

type Method = "totp" | "recovery-code";

/**
 * The second-factor step: a code from the authenticator app by default, a recovery code as the
 * fallback, or a passkey. Used to finish signing in and to step up before sensitive actions.
 */
export function SecondFactorForm({ callbackUrl, hasTotp, hasPasskeys }: { callbackUrl: string; hasTotp: boolean; hasPasskeys: boolean }) {
  const [method, setMethod] = useState<Method>(hasTotp ? "totp" : "recovery-code");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    setFieldError(null);
    const value = code.trim();
    if (method === "totp" && !/^\d{6}$/.test(value.replace(/\s/g, ""))) return setFieldError("Enter the 6-digit code from your authenticator app.");
    if (method === "recovery-code" && value.length < 16) return setFieldError("Enter one of your recovery codes.");
    startTransition(async () => {
      const result = await verifySecondFactorAction(callbackUrl, { method, code: method === "totp" ? value.replace(/\s/g, "") : value });
      if (result.ok) return window.location.assign(result.data.redirectTo);
      setFieldError(result.fieldErrors?.code?.[0] ?? null);
      setError(result.fieldErrors?.code ? null : result.error);
      setCode("");
    });
  }

  return (
    <div className="mt-6 space-y-5">
      {hasTotp || method === "recovery-code" ? (
        <form onSubmit={submit} noValidate className="space-y-4">
          <FormField label={method === "totp" ? "Authentication code" : "Recovery code"} error={fieldError ?? undefined}>
            {(props) => (
              <input
                {...props}
                name="code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                inputMode={method === "totp" ? "numeric" : "text"}
                autoComplete="one-time-code"
                autoFocus
                maxLength={40}
                placeholder={method === "totp" ? "123456" : "xxxxx-xxxxx-xxxxx-xxxxx"}
              />
            )}
          </FormField>
          {error ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          ) : null}
          <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
            {pending ? "Checking…" : "Verify"}
          </Button>
        </form>
      ) : null}
      {hasPasskeys ? <PasskeyVerifyButton startAction={startPasskeyAuthenticationAction} verifyAction={(response) => verifyPasskeyAction(callbackUrl, response)} /> : null}
      <p className="text-sm text-slate-600">
        {method === "totp" ? (
          <button type="button" className="text-brand-700 underline" onClick={() => { setMethod("recovery-code"); setCode(""); setFieldError(null); }}>
            Use a recovery code instead
          </button>
        ) : hasTotp ? (
          <button type="button" className="text-brand-700 underline" onClick={() => { setMethod("totp"); setCode(""); setFieldError(null); }}>
            Use your authenticator app instead
          </button>
        ) : null}
      </p>
    </div>
  );
}
