"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON, type RegistrationResponseJSON } from "@simplewebauthn/browser";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";
import { describePasskeyError, useWebAuthnSupport, WEBAUTHN_UNAVAILABLE, type PasskeyActionResult } from "./passkey-browser";

type Phase = "idle" | "starting" | "waiting" | "saving";

const progress: Record<Phase, string> = {
  idle: "",
  starting: "Preparing…",
  waiting: "Waiting for your device…",
  saving: "Saving your passkey…",
};

/**
 * Adds a passkey: the server's options, the browser's prompt, then the server's check. Nothing is
 * stored until the last step succeeds, so a closed prompt leaves the account as it was.
 */
export function PasskeyRegister({
  startAction,
  finishAction,
}: {
  startAction: () => Promise<PasskeyActionResult<PublicKeyCredentialCreationOptionsJSON>>;
  finishAction: (input: { name: string; response: RegistrationResponseJSON }) => Promise<PasskeyActionResult<{ id: string; name: string }>>;
}) {
  const router = useRouter();
  const supported = useWebAuthnSupport();
  const [name, setName] = useState("Passkey");
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();
  const [added, setAdded] = useState<string | null>(null);

  async function addPasskey(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setNameError(undefined);
    setAdded(null);
    if (!supported) return setError(WEBAUTHN_UNAVAILABLE);
    if (!name.trim()) return setNameError("Give the passkey a name.");
    try {
      setPhase("starting");
      const options = await startAction();
      if (!options.ok) return setError(options.error);
      setPhase("waiting");
      let response: RegistrationResponseJSON;
      try {
        response = await startRegistration({ optionsJSON: options.data });
      } catch (cause) {
        return setError(describePasskeyError(cause));
      }
      setPhase("saving");
      const result = await finishAction({ name: name.trim(), response });
      if (!result.ok) {
        setNameError(result.fieldErrors?.name?.join(" "));
        return setError(result.error);
      }
      setAdded(result.data.name);
      router.refresh();
    } catch {
      setError("The server could not be reached. Reload the page to see whether the passkey was added.");
    } finally {
      setPhase("idle");
    }
  }

  const busy = phase !== "idle";
  return (
    <form onSubmit={addPasskey} className="space-y-3" aria-busy={busy}>
      <FormField label="Passkey name" error={nameError}>
        {(field) => <input {...field} type="text" name="name" maxLength={60} autoComplete="off" required value={name} onChange={(e) => setName(e.target.value)} disabled={busy} />}
      </FormField>
      <Button type="submit" disabled={busy || !supported}>
        Add a passkey
      </Button>
      <p role="status" aria-live="polite" className="text-sm text-slate-600">
        {busy ? progress[phase] : added ? `Passkey "${added}" added.` : !supported ? WEBAUTHN_UNAVAILABLE : ""}
      </p>
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </form>
  );
}
