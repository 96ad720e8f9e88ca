"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/core/action-result";
import { FormField } from "@/components/ui/form-field";
import { startTotpEnrollmentAction } from "../../actions";

type Secret = { secret: string; uri: string; qrCode: string };

type ConfirmResult = ActionResult<{ recoveryCodes: string[] | null }>;

/** Confirms through a route handler (see its comment): the answer sets the new session cookie. */
async function confirmEnrollment(code: string): Promise<ConfirmResult> {
  try {
    const response = await fetch("/account/security/enroll/confirm", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
    return (await response.json()) as ConfirmResult;
  } catch {
    return { ok: false, error: "Countersign could not be reached. Check your connection and try again." };
  }
}

/** Shows the new secret as a QR code and as text, then confirms it with a code from the app. */
export function TotpEnrollment({ next, alreadyEnrolled }: { next: string; alreadyEnrolled: boolean }) {
  const [secret, setSecret] = useState<Secret | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [done, setDone] = useState(false);
  const [pending, startTransition] = useTransition();
  const started = useRef(false);

  useEffect(() => {
    // Strict mode mounts twice in development; one secret per visit is enough.
    if (started.current || alreadyEnrolled) return;
    started.current = true;
    void startTotpEnrollmentAction().then((result) => (result.ok ? setSecret(result.data) : setStartError(result.error)));
  }, [alreadyEnrolled]);

  if (alreadyEnrolled && !done) {
    return (
      <div className="mt-6 space-y-4">
        <p role="status" className="text-sm text-slate-700">An authenticator app is already set up for your account. To use another one, remove it on the Security page first.</p>
        <Button type="button" className="w-full" onClick={() => window.location.assign(next)}>
          Continue
        </Button>
      </div>
    );
  }
  if (startError) return <p role="alert" className="mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{startError}</p>;
  if (!secret) return <p className="mt-6 text-sm text-slate-600" role="status">Preparing your secret…</p>;

  if (done) {
    return (
      <div className="mt-6 space-y-4">
        <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800">
          Two-step verification is on.
        </p>
        {recoveryCodes ? (
          <section aria-labelledby="recovery-heading" className="space-y-2">
            <h2 id="recovery-heading" className="font-semibold">
              Your recovery codes
            </h2>
            <p className="text-sm text-slate-600">Each works once if you lose your device. Store them somewhere safe now: they are not shown again.</p>
            <ul data-testid="recovery-codes" className="grid grid-cols-2 gap-1 rounded-md bg-slate-50 p-3 font-mono text-sm">
              {recoveryCodes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </section>
        ) : null}
        <Button
          type="button"
          className="w-full"
          onClick={() => window.location.assign(next)}
        >
          Continue
        </Button>
      </div>
    );
  }

  return (
    <div className="mt-6 space-y-4">
      <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
        <li>Open your authenticator app (for example Google Authenticator, Microsoft Authenticator or 1Password).</li>
        <li>Scan this QR code, or enter the key below.</li>
        <li>Type the 6-digit code the app shows.</li>
      </ol>
      {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server; nothing to optimize */}
      <img src={secret.qrCode} alt="QR code for your authenticator app" width={192} height={192} className="mx-auto rounded border border-slate-200" />
      <p className="text-center text-sm">
        Key:{" "}
        {/* In groups of four to read off and type, spaced by margin rather than by spaces, so a copy of the key pastes whole. */}
        <code data-testid="totp-secret" className="inline-flex flex-wrap justify-center font-mono tracking-wider select-all">
          {groupsOfFour(secret.secret).map((group, i) => (
            <span key={i} className="mr-[1ch] last:mr-0">
              {group}
            </span>
          ))}
        </code>
      </p>
      <form
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          setError(null);
          const value = code.replace(/\s/g, "");
          if (!/^\d{6}$/.test(value)) return setError("Enter the 6-digit code from your authenticator app.");
          startTransition(async () => {
            const result = await confirmEnrollment(value);
            setCode("");
            if (!result.ok) return setError(result.fieldErrors?.code?.[0] ?? result.error);
            setRecoveryCodes(result.data.recoveryCodes);
            setDone(true);
          });
        }}
      >
        <FormField label="Authentication code" error={error ?? undefined}>
          {(props) => <input {...props} value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" autoComplete="one-time-code" maxLength={10} />}
        </FormField>
        <Button type="submit" className="w-full" disabled={pending} aria-busy={pending}>
          {pending ? "Checking…" : "Turn on two-step verification"}
        </Button>
      </form>
    </div>
  );
}

function groupsOfFour(key: string): string[] {
  return key.match(/.{1,4}/g) ?? [key];
}
