"use client";

import { useState } from "react";
import { startAuthentication, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { Button } from "@/components/ui/button";
import { describePasskeyError, useWebAuthnSupport, WEBAUTHN_UNAVAILABLE, type PasskeyActionResult } from "./passkey-browser";

type Phase = "idle" | "starting" | "waiting" | "checking" | "done";

const progress: Record<Phase, string> = {
  idle: "",
  starting: "Preparing…",
  waiting: "Waiting for your device…",
  checking: "Checking…",
  done: "Verified. Continuing…",
};

/** Proves it is you with a passkey: the server's challenge, the browser's prompt, the server's check. */
export function PasskeyVerifyButton({
  startAction,
  verifyAction,
}: {
  startAction: () => Promise<PasskeyActionResult<PublicKeyCredentialRequestOptionsJSON>>;
  verifyAction: (response: AuthenticationResponseJSON) => Promise<PasskeyActionResult<{ redirectTo: string }>>;
}) {
  const supported = useWebAuthnSupport();
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);

  async function verifyWithPasskey() {
    setError(null);
    if (!supported) return setError(WEBAUTHN_UNAVAILABLE);
    let next: Phase = "idle";
    try {
      setPhase("starting");
      const options = await startAction();
      if (!options.ok) return setError(options.error);
      setPhase("waiting");
      let response: AuthenticationResponseJSON;
      try {
        response = await startAuthentication({ optionsJSON: options.data });
      } catch (cause) {
        return setError(describePasskeyError(cause));
      }
      setPhase("checking");
      const result = await verifyAction(response);
      if (!result.ok) return setError(result.error);
      // A full navigation, so the next page is rendered with the session's new MFA state.
      next = "done";
      window.location.assign(result.data.redirectTo);
    } catch {
      setError("The server could not be reached. Try again.");
    } finally {
      setPhase(next);
    }
  }

  const busy = phase !== "idle";
  return (
    <div className="space-y-2" aria-busy={busy}>
      <Button type="button" variant="secondary" onClick={verifyWithPasskey} disabled={busy || !supported}>
        Use a passkey
      </Button>
      <p role="status" aria-live="polite" className="text-sm text-slate-600">
        {busy ? progress[phase] : !supported ? WEBAUTHN_UNAVAILABLE : ""}
      </p>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
