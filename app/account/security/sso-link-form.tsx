"use client";

import { useActionState, useEffect, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/core/action-result";
import { FormAlert } from "@/components/access/form-alert";
import { Button } from "@/components/ui/button";
import { FormField } from "@/components/ui/form-field";

type Start = (prev: unknown, input: { connectionId: string; password: string }) => Promise<ActionResult<{ redirectUrl: string }>>;

/**
 * Link this account to an identity at one connection: the password here (the step-up page asks
 * for the second factor when it is not recent), then the IdP's own sign-in page.
 */
export function SsoLinkForm({ action, connections }: { action: Start; connections: Array<{ id: string; name: string }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? "");
  const [password, setPassword] = useState("");
  const server = state && !state.ok ? state.fieldErrors : undefined;
  useEffect(() => {
    // Off to the IdP (the page, and the password typed into it, goes away).
    if (state?.ok) window.location.assign(state.data.redirectUrl);
  }, [state]);
  return (
    <form
      className="max-w-md space-y-3"
      noValidate
      aria-label="Link to single sign-on"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(() => dispatch({ connectionId, password }));
      }}
    >
      <FormField label="Connection" error={server?.connectionId?.[0]}>
        {(props) => (
          <select {...props} value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label="Your password" error={server?.password?.[0]}>
        {(props) => <input {...props} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
      </FormField>
      <FormAlert message={state && !state.ok ? state.error : null} />
      <Button type="submit" disabled={pending || !connectionId}>
        {pending ? "Checking…" : "Continue to the identity provider"}
      </Button>
    </form>
  );
}
